// A small force layout: edges pull like springs, every pair of nodes pushes
// apart, and a weak pull keeps the drawing centred. It is deterministic, and
// starts from where nodes were drawn before, so that a graph keeps its shape
// as it grows.

const LENGTH = 110; // an edge's rest length
const REPULSION = 40000;
const SPRING = 0.04;
const GRAVITY = 0.005;
const STEPS = 300;
const MAX_MOVE = 20;

// layout places nodes, [{id, parent}], joined by edges, [[fromId, toId]],
// and returns their positions by id. known holds earlier positions; a new
// node starts near its parent, the node whose expansion brought it, which
// comes before it in nodes.
export function layout(nodes, edges, known) {
  const pos = new Map();
  for (const n of nodes) if (known.has(n.id)) pos.set(n.id, { ...known.get(n.id) });
  const roots = nodes.filter((n) => !pos.has(n.id) && !n.parent);
  roots.forEach((n, i) => pos.set(n.id, onCircle(i, roots.length)));
  for (const n of nodes) {
    if (!pos.has(n.id)) pos.set(n.id, near(pos.get(n.parent) ?? { x: 0, y: 0 }, n.id));
  }
  if (nodes.every((n) => known.has(n.id))) return pos;

  const ps = nodes.map((n) => pos.get(n.id));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const springs = edges.map(([a, b]) => [index.get(a), index.get(b)]).filter(([a, b]) => a !== b);
  for (let step = 0; step < STEPS; step++) {
    const heat = 1 - step / STEPS;
    const force = ps.map((p) => ({ x: -p.x * GRAVITY, y: -p.y * GRAVITY }));
    for (let i = 0; i < ps.length; i++) {
      for (let j = i + 1; j < ps.length; j++) {
        const dx = ps[i].x - ps[j].x || 0.01;
        const dy = ps[i].y - ps[j].y;
        const d2 = Math.max(dx * dx + dy * dy, 1);
        const f = REPULSION / d2 / Math.sqrt(d2);
        force[i].x += dx * f; force[i].y += dy * f;
        force[j].x -= dx * f; force[j].y -= dy * f;
      }
    }
    for (const [a, b] of springs) {
      const dx = ps[b].x - ps[a].x;
      const dy = ps[b].y - ps[a].y;
      const d = Math.hypot(dx, dy) || 1;
      const f = (SPRING * (d - LENGTH)) / d;
      force[a].x += dx * f; force[a].y += dy * f;
      force[b].x -= dx * f; force[b].y -= dy * f;
    }
    ps.forEach((p, i) => {
      const { x, y } = force[i];
      const scale = Math.min(1, MAX_MOVE / (Math.hypot(x, y) || 1)) * heat;
      p.x += x * scale;
      p.y += y * scale;
    });
  }
  return pos;
}

function onCircle(i, n) {
  const angle = (2 * Math.PI * i) / Math.max(n, 1);
  const r = n > 1 ? 40 * n / Math.PI : 0;
  return { x: r * Math.cos(angle), y: r * Math.sin(angle) };
}

// near is a spot beside p, at an angle that depends only on id.
function near(p, id) {
  let hash = 0;
  for (const c of id) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  const angle = ((hash >>> 0) % 360) * (Math.PI / 180);
  return { x: p.x + LENGTH * Math.cos(angle), y: p.y + LENGTH * Math.sin(angle) };
}
