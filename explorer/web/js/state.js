// The page's state lives in its query string, so that every view can be
// bookmarked and shared, and back and forward work:
//
//   ?view=matrix&orders=FEDERAL,PROVINCIAL&jurisdiction=…&asOf=2016-01-01&stated=1&lever=…&kind=…
//   ?view=graph&q=co-op&id=kind:spin-out&open=lever:a,lever:b&from=…&to=…
//   ?view=entity&id=statute:canada-cooperatives-act
//
// lang and api hold across views.

const KEEP = ['lang', 'api'];

// current returns the state as an object of strings.
export function current() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

// list splits a comma-separated value.
export const list = (value) => (value ? value.split(',') : []);

// link returns the query string of a state, with lang and api carried over
// from the current one unless given; empty values are left out.
export function link(state) {
  const now = current();
  const params = new URLSearchParams();
  for (const key of KEEP) if (now[key] && !(key in state)) params.set(key, now[key]);
  for (const [key, value] of Object.entries(state)) {
    const v = Array.isArray(value) ? value.join(',') : value;
    if (v != null && v !== '') params.set(key, v);
  }
  return '?' + params.toString();
}

// The control edited last, while no other navigation came between.
let edited = null;
addEventListener('popstate', () => { edited = null; });

// go makes state the page's, in a new history entry, and tells the views.
export function go(state) {
  edited = null;
  history.pushState(null, '', link(state));
  dispatchEvent(new Event('statechange'));
}

// update changes some of the current state's values.
export const update = (changes) => go({ ...current(), ...changes });

// edit changes some of the current state's values from one form control.
// Edits of the same control in a row make one history entry, so that back
// undoes the control's last edit at once, not each choice along the way.
export function edit(changes, control) {
  const next = link({ ...current(), ...changes });
  if (control && control === edited) history.replaceState(null, '', next);
  else history.pushState(null, '', next);
  edited = control;
  dispatchEvent(new Event('statechange'));
}
