// k6 docs, examples/html-forms (ported: async/await, and the URL points at the test's server).
import http from 'k6/http';
import { sleep } from 'k6';

export default async function () {
  // Request page containing a form
  let res = await http.get(`${__ENV.BASE_URL}/admin`);

  // Now, submit form setting/overriding some fields of the form
  res = await res.submitForm({
    formSelector: 'form',
    fields: { username: 'admin', password: 'admin' },
  });
  await sleep(3);
}
