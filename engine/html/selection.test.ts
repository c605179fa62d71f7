import { describe, expect, it } from 'vitest';
import { parseHTML } from './document.js';
import { Element } from './element.js';

const PAGE = `<!doctype html><html lang="en"><head><title>Shop</title></head><body>
<ul id="items"><li class="a first" data-id="1" data-info='{"sku":"x"}'>One</li><li class="b">Two</li><li class="c">Three</li></ul>
<p>intro <b>bold</b><!-- note --></p>
<table><tr><td>cell</td></tr></table>
<a id="rel" href="/next?page=2">next</a><a href="https://other.example/x">abs</a>
<form id="f" action="search" method="post">
  <input name="q" value="shoes"><input type="checkbox" name="c1" checked><input type="checkbox" name="c2">
  <input type="radio" name="r" value="x" checked><input name="off" value="1" disabled><input type="file" name="up">
  <select name="size"><option>S</option><option value="m" selected>Medium</option></select>
  <select name="tags" multiple><option value="t1" selected>T1</option><option value="t2">T2</option><option value="t3" selected>T3</option></select>
  <textarea name="note">a &amp; b</textarea><button type="submit" name="go" value="yes">Go</button>
  <input name="q" value="boots">
</form></body></html>`;

describe('k6/html Selection', () => {
  const doc = parseHTML(PAGE, 'http://shop.test/list/');

  it('parses as an HTML5 parser does and finds, traverses and narrows like k6', () => {
    expect(doc.find('title').text()).toBe('Shop');
    expect(doc.find('tbody td').text()).toBe('cell'); // tbody implied
    const items = doc.find('#items li');
    expect(items.size()).toBe(3);
    expect(items.eq(1).text()).toBe('Two');
    expect(items.eq(-1).text()).toBe('Three');
    expect(items.eq(9).size()).toBe(0);
    expect(items.first().next().text()).toBe('Two');
    expect(items.last().prev('.b').text()).toBe('Two');
    expect(items.first().nextAll().size()).toBe(2);
    expect(items.last().prevAll().size()).toBe(2);
    expect(items.first().siblings().size()).toBe(2);
    expect(items.first().nextUntil('.c').size()).toBe(1);
    expect(items.first().parent().attr('id')).toBe('items');
    expect(items.first().parents('body').size()).toBe(1);
    expect(items.first().closest('ul').attr('id')).toBe('items');
    expect(items.filter('.b').text()).toBe('Two');
    expect(items.filter((i) => i > 0).size()).toBe(2);
    expect(items.not('.a').size()).toBe(2);
    expect(items.is('.c')).toBe(true);
    expect(items.slice(1).size()).toBe(2);
    expect(doc.find('ul').has('.c').size()).toBe(1);
    expect(doc.find('ul').children('.a').size()).toBe(1);
    expect(doc.find('p').contents().size()).toBe(3);
    expect(doc.find('p').html()).toBe('intro <b>bold</b><!-- note -->');
    expect(doc.find('.nothing').html()).toBe('');
    expect(items.find('.a').end().size()).toBe(3);
    expect(items.index(items.eq(2))).toBe(2);
    expect(items.map((i, s) => `${i}:${s.text()}`)).toEqual(['0:One', '1:Two', '2:Three']);
    expect(items.toArray().map((s) => s.attr('class'))).toEqual(['a first', 'b', 'c']);
  });

  it('reads attributes and data as k6 does', () => {
    const li = doc.find('li').first();
    expect(li.attr('class')).toBe('a first');
    expect(li.attr('missing')).toBeUndefined();
    expect(li.attr('missing', 'dflt')).toBe('dflt');
    expect(li.data('id')).toBe(1);
    expect(li.data()).toEqual({ id: 1, info: { sku: 'x' } });
    expect(doc.find('.nothing').data()).toBeUndefined();
  });

  it('gives form values and serializes the successful controls', () => {
    const form = doc.find('form');
    expect(doc.find('[name=q]').val()).toBe('shoes');
    expect(doc.find('[name=c1]').val()).toBe('on');
    expect(doc.find('[name=size]').val()).toBe('m');
    expect(doc.find('[name=tags]').val()).toEqual(['t1', 't3']);
    expect(doc.find('textarea').val()).toBe('a &amp; b');
    expect(doc.find('button').val()).toBe('yes');
    expect(doc.find('li').val()).toBeUndefined();
    expect(form.serializeArray().map((f) => f.name)).toEqual(['q', 'c1', 'r', 'size', 'tags', 'note', 'q']);
    expect(form.serializeObject()).toEqual({ q: 'boots', c1: 'on', r: 'x', size: 'm', tags: ['t1', 't3'], note: 'a &amp; b' });
    expect(form.serialize()).toBe('c1=on&note=a+%26amp%3B+b&q=boots&r=x&size=m&tags=t1&tags=t3');
  });

  it('hands Elements to each() and get(), with k6\'s DOM-style methods and resolved links', () => {
    const seen: string[] = [];
    doc.find('li').each((i, el) => seen.push(`${i}${el.nodeName()}${el.textContent()}`));
    expect(seen).toEqual(['0liOne', '1liTwo', '2liThree']);
    const li = doc.find('li').get(0)!;
    expect(li).toBeInstanceOf(Element);
    expect(li.nodeType()).toBe(1);
    expect(li.getAttribute('data-id')).toBe('1');
    expect(li.hasAttribute('class')).toBe(true);
    expect(li.classList()).toEqual(['a', 'first']);
    expect(li.nextElementSibling()!.textContent()).toBe('Two');
    expect(li.parentElement()!.id()).toBe('items');
    expect(li.firstChild()!.nodeName()).toBe('#text');
    expect(li.firstChild()!.nodeValue()).toBe('One');
    expect(doc.find('ul').get(0)!.childElementCount()).toBe(3);
    expect(doc.find('ul').get(0)!.contains(li)).toBe(true);
    expect(doc.find('ul').get(0)!.querySelectorAll('li')).toHaveLength(3);
    expect(li.matches('.first')).toBe(true);
    expect(li.isSameNode(doc.find('.a').get(0)!)).toBe(true);
    expect(doc.find('#rel').get(0)!.href()).toBe('http://shop.test/next?page=2');
    expect(doc.find('form').get(0)!.action()).toBe('http://shop.test/list/search');
    expect(doc.find('form').get(0)!.method()).toBe('post');
    expect(doc.find('li').get()).toHaveLength(3);
    expect(doc.find('li').get(-1)!.textContent()).toBe('Three');
    expect(doc.find('li').get(5)).toBeUndefined();
    expect(li.ownerDocument()!.nodeName()).toBe('#document');
    expect(doc.find('html').get(0)!.lang()).toBe('en');
  });

  it('rejects wrong arguments with k6\'s messages', () => {
    expect(() => doc.find('li').each(undefined as never)).toThrow(/Argument to each\(\) must be a function/);
    expect(() => doc.find('li').filter(3 as never)).toThrow(/Argument to filter\(\) must be a function, a selector or a selection/);
    expect(() => parseHTML(undefined as never)).toThrow(/parseHTML\(\) takes the HTML text/);
  });
});
