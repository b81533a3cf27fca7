// Builds DOM nodes from data without innerHTML, so that text from the graph
// is never parsed as markup.

const SVG = 'http://www.w3.org/2000/svg';

function build(el, props, children) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(typeof child === 'object' ? child : String(child));
  }
  return el;
}

// h creates an HTML element: h('a', {href: '?view=graph'}, 'Graph').
export const h = (tag, props, ...children) => build(document.createElement(tag), props, children);

// s creates an SVG element.
export const s = (tag, props, ...children) => build(document.createElementNS(SVG, tag), props, children);

// externalURL returns url when it is http or https, and null otherwise: a
// link's target comes from the data, which must not run script.
export function externalURL(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
