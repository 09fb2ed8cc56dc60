// el(tag, props, ...children): the one DOM helper the call UI files share. Text goes in as text
// nodes (strings in `children` or `textContent` in props), never as HTML.
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}
