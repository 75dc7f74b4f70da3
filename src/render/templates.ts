import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

// Compiles the templates in templates/ once. Output is plain text: no HTML escaping.

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);
const cache = new Map<string, Handlebars.TemplateDelegate>();

export function template(name: string): Handlebars.TemplateDelegate {
  let t = cache.get(name);
  if (!t) {
    const text = readFileSync(new URL(name, TEMPLATE_DIR), 'utf8');
    t = Handlebars.compile(text, { noEscape: true, strict: true });
    cache.set(name, t);
  }
  return t;
}
