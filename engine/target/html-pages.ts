/**
 * The demo target's HTML pages, for k6/html scripts (parseHTML, res.html(), submitForm, clickLink):
 * `/html` is a small site page in the manner of k6's test.k6.io (a title, a lang attribute, a list
 * of links, a news table and a login form), `/forms/post` httpbin's pizza order form (it posts to
 * /post) and `/links/:n/:offset` httpbin's page of n links to its siblings.
 */
import type { ServerResponse } from 'node:http';

const HTML_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>loadts demo target</title>
  <meta name="description" content="A page to try k6/html on">
</head>
<body>
  <h1 id="top" class="title">loadts demo target</h1>
  <p class="intro">Links, a table and a form for parseHTML, <code>res.html()</code>, <code>submitForm()</code> and <code>clickLink()</code>.</p>
  <ul id="links">
    <li><a href="/get" class="nav" data-kind="echo">GET echo</a></li>
    <li><a href="/json" class="nav" data-kind="json">a JSON document</a></li>
    <li><a href="/forms/post" class="nav" data-kind="form">a pizza order form</a></li>
    <li><a href="/links/5/0" class="nav" data-kind="links">five linked pages</a></li>
    <li><a href="/status/404" class="nav broken">a missing page</a></li>
  </ul>
  <table id="news">
    <tr><th>Date</th><th>Headline</th></tr>
    <tr><td>2025-05-01</td><td>k6 scripts run on loadts</td></tr>
    <tr><td>2025-06-01</td><td>Timers wait for their iteration</td></tr>
  </table>
  <form id="login" action="/post" method="POST">
    <input type="hidden" name="csrftoken" value="d3m0t0k3n">
    <label>Login <input type="text" name="login" value=""></label>
    <label>Password <input type="password" name="password" value=""></label>
    <select name="lang">
      <option value="en" selected>English</option>
      <option value="sv">Svenska</option>
    </select>
    <label><input type="checkbox" name="remember" value="yes" checked> remember me</label>
    <textarea name="note">first visit</textarea>
    <input type="submit" name="go" value="Go!">
  </form>
</body>
</html>
`;

const PIZZA_FORM = `<!DOCTYPE html>
<html>
<head><title>Pizza order</title></head>
<body>
  <form method="post" action="/post">
    <p><label>Customer name: <input name="custname"></label></p>
    <p><label>Telephone: <input type=tel name="custtel"></label></p>
    <p><label>E-mail address: <input type=email name="custemail"></label></p>
    <fieldset>
      <legend> Pizza Size </legend>
      <p><label> <input type=radio name=size value="small"> Small </label></p>
      <p><label> <input type=radio name=size value="medium"> Medium </label></p>
      <p><label> <input type=radio name=size value="large"> Large </label></p>
    </fieldset>
    <fieldset>
      <legend> Pizza Toppings </legend>
      <p><label> <input type=checkbox name="topping" value="bacon"> Bacon </label></p>
      <p><label> <input type=checkbox name="topping" value="cheese"> Extra Cheese </label></p>
      <p><label> <input type=checkbox name="topping" value="onion"> Onion </label></p>
      <p><label> <input type=checkbox name="topping" value="mushroom"> Mushroom </label></p>
    </fieldset>
    <p><label>Preferred delivery time: <input type=time min="11:00" max="21:00" step="900" name="delivery"></label></p>
    <p><label>Delivery instructions: <textarea name="comments"></textarea></label></p>
    <p><button>Submit order</button></p>
  </form>
</body>
</html>
`;

/** httpbin's /links/:n/:offset: n links, the current one as plain text. */
function linksPage(n: number, offset: number): string {
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(i === offset ? `${i} ` : `<a href='/links/${n}/${i}'>${i}</a> `);
  return `<html><head><title>Links</title></head><body>${items.join('')}</body></html>`;
}

function sendHtml(res: ServerResponse, html: string): void {
  const body = Buffer.from(html);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

/** Answers /html, /forms/post and /links/:n/:offset; false for any other path. */
export function htmlPage(res: ServerResponse, path: string): boolean {
  if (path === '/html') sendHtml(res, HTML_PAGE);
  else if (path === '/forms/post') sendHtml(res, PIZZA_FORM);
  else {
    const m = /^\/links\/(\d{1,3})(?:\/(\d{1,3}))?$/.exec(path);
    if (m === null) return false;
    const n = Math.min(Number(m[1]), 200);
    sendHtml(res, linksPage(n, Math.min(Number(m[2] ?? 0), n)));
  }
  return true;
}
