import type { Cheerio, CheerioAPI } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';

/** One successful form control: k6's serializeArray() item. */
export interface FormValue {
  name: string;
  value: string | string[] | undefined;
}

type Node = Cheerio<AnyNode>;

function tagName(sel: Node): string {
  const n = sel.get(0);
  return n !== undefined && 'name' in n ? String(n.name).toLowerCase() : '';
}

/** An option's value attribute, else its inner HTML (k6's rule; a browser would use its text). */
function optionValue(opt: Node): string {
  return opt.attr('value') ?? opt.html() ?? '';
}

/**
 * The form value of the element `sel` (its first node), as k6's Selection.val(): input → its value
 * ('on' for a checkbox or radio without one), button → value, textarea → its content, option →
 * value or content, select → the selected option's value (all selected values when `multiple`);
 * undefined for other elements.
 */
export function formValue(sel: Node, $: CheerioAPI): string | string[] | undefined {
  switch (tagName(sel)) {
    case 'input': {
      const v = sel.attr('value');
      if (v !== undefined) return v;
      const type = (sel.attr('type') ?? '').toLowerCase();
      return type === 'checkbox' || type === 'radio' ? 'on' : '';
    }
    case 'button':
      return sel.attr('value') ?? '';
    case 'textarea':
      return sel.html() ?? '';
    case 'option':
      return optionValue(sel);
    case 'select': {
      const selected = sel.find('option[selected]');
      if (sel.attr('multiple') !== undefined) return selected.toArray().map((o) => optionValue($(o)));
      return selected.length === 0 ? '' : optionValue(selected.first());
    }
    default:
      return undefined;
  }
}

const SUBMITTABLE = 'input,select,textarea,keygen';
const NOT_SENT = new Set(['submit', 'button', 'reset', 'image', 'file']);

/**
 * The successful controls of a form (or of these controls), in document order: named, not
 * disabled, not buttons or file inputs, and checked when a checkbox or radio.
 */
export function serializeArray(sel: Node, $: CheerioAPI): FormValue[] {
  const controls = sel.is('form') ? sel.find(SUBMITTABLE) : sel.filter(SUBMITTABLE);
  const out: FormValue[] = [];
  for (const node of controls.toArray()) {
    const c = $(node);
    const name = c.attr('name') ?? '';
    const type = (c.attr('type') ?? '').toLowerCase();
    if (name === '' || c.attr('disabled') !== undefined || NOT_SENT.has(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && c.attr('checked') === undefined) continue;
    out.push({ name, value: formValue(c, $) });
  }
  return out;
}

/** serializeArray() as { name: value }; the last value of a repeated name wins. */
export function serializeObject(sel: Node, $: CheerioAPI): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const { name, value } of serializeArray(sel, $)) if (value !== undefined) out[name] = value;
  return out;
}

/** serializeObject() URL-encoded, names sorted (as k6's Go url.Values.Encode). */
export function serialize(sel: Node, $: CheerioAPI): string {
  const values = serializeObject(sel, $);
  const q = new URLSearchParams();
  for (const name of Object.keys(values).sort()) {
    const v = values[name]!;
    for (const item of Array.isArray(v) ? v : [v]) q.append(name, item);
  }
  return q.toString();
}
