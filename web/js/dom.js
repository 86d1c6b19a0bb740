// dom.js: the only way the dashboard puts text on the page. Every value that comes from the
// server or a file (names, notes, file names, messages) goes in through textContent, never
// innerHTML, so a village called "<img onerror=…>" is shown as those characters.
import { t } from './i18n.js';

/** el('td', {class: 'num'}, 'text', child…): an element with attributes and text/children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `node` (found by id when a string) with `children`. */
export function fill(node, ...children) {
  const target = typeof node === 'string' ? document.getElementById(node) : node;
  target.replaceChildren();
  append(target, children);
  return target;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes as for el(), text through textContent as well. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

export { percent } from './i18n.js';

/** A table: columns [{title, value: row => text|Node, num?}], at most `limit` rows shown. */
export function table(columns, rows, { limit = 200, empty = t('web.empty'), caption } = {}) {
  if (!rows.length) return el('p', { class: 'empty' }, empty);
  const head = el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : undefined }, c.title)));
  const body = rows.slice(0, limit).map((row) =>
    el('tr', {}, columns.map((c) => el('td', { class: c.num ? 'num' : undefined }, c.value(row) ?? '–'))));
  const parts = [el('table', {}, caption ? el('caption', {}, caption) : null, el('thead', {}, head), el('tbody', {}, body))];
  if (rows.length > limit) parts.push(el('p', { class: 'note' }, t('web.more', { more: rows.length - limit, limit })));
  return el('div', { class: 'table-wrap' }, parts);
}
