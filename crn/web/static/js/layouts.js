// Layouts of the readable network views, as pure functions: positions computed from the graph data alone (no DOM,
// no Cytoscape), so they are unit-tested with `node --test` (tests/web/js/layouts.test.mjs) and drawn with
// Cytoscape's "preset" layout. Every placement is collision-free by construction: boxes and labels get cells of a
// fixed size, and sibling subtrees / groups own disjoint horizontal intervals.

// ---- org chart -------------------------------------------------------------------------------------------------

/** Box size and spacing of the org chart (model units = pixels at zoom 1). */
export const ORG_BOX = { width: 210, height: 62, gapX: 26, gapY: 60, stackIndent: 30, stackGap: 14, stackMax: 8 };

/**
 * The reporting tree of `people` ([{id, managerId}]): children per manager (order kept), roots (no manager in the
 * set) and depth per person. A manager chain that loops is cut where it closes, so every person is placed once.
 */
export function orgTree(people) {
  const ids = new Set(people.map((p) => p.id));
  const parent = new Map();
  for (const p of people) if (p.managerId && ids.has(p.managerId) && p.managerId !== p.id) parent.set(p.id, p.managerId);
  // Cut loops: walk up from each person; a person met twice on one walk loses its manager.
  for (const p of people) {
    const seen = new Set([p.id]);
    let at = p.id;
    while (parent.has(at)) {
      const up = parent.get(at);
      if (seen.has(up)) { parent.delete(at); break; }
      seen.add(up);
      at = up;
    }
  }
  const children = new Map(people.map((p) => [p.id, []]));
  const roots = [];
  for (const p of people) {
    if (parent.has(p.id)) children.get(parent.get(p.id)).push(p.id);
    else roots.push(p.id);
  }
  const depth = new Map();
  const stack = roots.map((id) => [id, 0]);
  while (stack.length) {
    const [id, d] = stack.pop();
    depth.set(id, d);
    for (const c of children.get(id)) stack.push([c, d + 1]);
  }
  return { roots, children, parent, depth };
}

/** Everyone below `id` in `tree` (not `id` itself). */
export function descendants(tree, id) {
  const out = [];
  const stack = [...tree.children.get(id) || []];
  while (stack.length) {
    const c = stack.pop();
    out.push(c);
    stack.push(...tree.children.get(c));
  }
  return out;
}

/** The managers collapsed by default: everyone with reports at depth >= `depth` (0 = the top of the chart). */
export function defaultCollapsed(tree, depth = 2) {
  return new Set([...tree.depth].filter(([id, d]) => d >= depth && tree.children.get(id).length).map(([id]) => id));
}

/**
 * Positions of the org chart's boxes (centres) with `collapsed` managers' subtrees hidden.
 *
 * A manager's children that have no visible reports are stacked in columns of at most `stackMax` (indented under
 * the manager, as paper org charts do); the others get their own subtree side by side. Each subtree owns the
 * horizontal interval [left, left + width), so no two boxes overlap whatever the shape of the org.
 *
 * Returns {positions: Map id -> {x, y}, visible: Set of ids, hidden: Map id -> number of people hidden below}.
 */
export function orgLayout(tree, { collapsed = new Set(), box = ORG_BOX } = {}) {
  const positions = new Map();
  const visible = new Set();
  const hidden = new Map();
  const kids = (id) => (collapsed.has(id) ? [] : tree.children.get(id));
  const isLeaf = (id) => kids(id).length === 0;
  const stackWidth = box.width + box.stackIndent;
  const stackStep = box.height + box.stackGap;

  // Group children: stacked columns of leaves first, then one unit per subtree.
  function units(ids) {
    const leaves = ids.filter(isLeaf);
    const branches = ids.filter((id) => !isLeaf(id));
    const out = [];
    for (let i = 0; i < leaves.length; i += box.stackMax) out.push({ stack: leaves.slice(i, i + box.stackMax) });
    for (const id of branches) out.push({ id });
    return out;
  }
  const widthMemo = new Map();
  function unitWidth(unit) { return unit.stack ? stackWidth : width(unit.id); }
  function width(id) {
    if (widthMemo.has(id)) return widthMemo.get(id);
    const parts = units(kids(id));
    const w = parts.length ? Math.max(box.width, parts.reduce((s, u) => s + unitWidth(u), 0) + box.gapX * (parts.length - 1)) : box.width;
    widthMemo.set(id, w);
    return w;
  }
  function placeStack(ids, left, top) {
    ids.forEach((id, i) => {
      positions.set(id, { x: left + box.stackIndent + box.width / 2, y: top + i * stackStep + box.height / 2 });
      visible.add(id);
      if (collapsed.has(id) && tree.children.get(id).length) hidden.set(id, descendants(tree, id).length);
    });
  }
  function place(id, left, top) {
    const w = width(id);
    visible.add(id);
    if (collapsed.has(id) && tree.children.get(id).length) hidden.set(id, descendants(tree, id).length);
    const parts = units(kids(id));
    if (!parts.length) { positions.set(id, { x: left + w / 2, y: top + box.height / 2 }); return; }
    const childTop = top + box.height + box.gapY;
    if (parts.length === 1 && parts[0].stack) {  // only leaves: a column under the manager's left edge
      positions.set(id, { x: left + box.width / 2, y: top + box.height / 2 });
      placeStack(parts[0].stack, left, childTop - box.gapY / 2);
      return;
    }
    const used = parts.reduce((s, u) => s + unitWidth(u), 0) + box.gapX * (parts.length - 1);
    let x = left + (w - used) / 2;
    for (const unit of parts) {
      if (unit.stack) placeStack(unit.stack, x, childTop); else place(unit.id, x, childTop);
      x += unitWidth(unit) + box.gapX;
    }
    positions.set(id, { x: left + w / 2, y: top + box.height / 2 });
  }
  // The roots side by side like the children of an invisible top manager; lone people (no manager, no
  // reports) in stacked columns at the end.
  let x = 0;
  const loners = tree.roots.filter(isLeaf);
  for (const id of tree.roots.filter((r) => !isLeaf(r))) { place(id, x, 0); x += width(id) + box.gapX * 2; }
  for (let i = 0; i < loners.length; i += box.stackMax) {
    placeStack(loners.slice(i, i + box.stackMax), x - box.stackIndent, 0);
    x += box.width + box.gapX;
  }
  return { positions, visible, hidden };
}

/** Two letters for an avatar: first letters of the first and last words ("Ada King" -> "AK"; "王芳" -> "王芳"). */
export function initials(name) {
  const words = String(name || "").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "?";
  if (words.length === 1) return [...words[0]].slice(0, 2).join("").toUpperCase();
  return ([...words[0]][0] + [...words[words.length - 1]][0]).toUpperCase();
}

// ---- account canvas --------------------------------------------------------------------------------------------

/** Seniority order (most senior first); the model's values (crn.graph.models.person.SENIORITY). */
export const SENIORITY_ORDER = ["c_level", "vp", "director", "manager", "staff", "unknown"];

/** A seniority from the model's value, else guessed from a job title; "unknown" when neither says. */
export function seniorityOf(seniority, title = "") {
  if (seniority && seniority !== "unknown" && SENIORITY_ORDER.includes(seniority)) return seniority;
  const t = String(title || "").toLowerCase();
  if (/\b(chief|ceo|cfo|cto|cio|coo|cmo|president|founder)\b|总裁|首席/.test(t)) return "c_level";
  if (/\b(vp|vice president|svp|evp)\b|副总/.test(t)) return "vp";
  if (/\b(director|head)\b|总监/.test(t)) return "director";
  if (/\b(manager|lead)\b|经理/.test(t)) return "manager";
  return t ? "staff" : "unknown";
}

/** Cell size and thresholds of the account canvas. */
export const ACCOUNT_GRID = { column: 190, row: 56, groupGap: 40, sideGap: 120, maxRows: 12, collapseAbove: 40, groupMax: 8 };

/**
 * Positions for an account's network laid out by meaning: the company at the centre, its people below in
 * department columns (most senior on top), our users in a column on the left, other companies in a column on
 * the right, deals/tickets/other records in rows above. With more than `collapseAbove` people, a department of more
 * than `groupMax` people not in `expanded` becomes one group node with a count.
 *
 * Input: {nodes: [{id, type, label, subtitle}], edges: [{source, target, type, properties}], rootId,
 * people: Map id -> {department, seniority, title}} (extra person facts; optional).
 * Returns {positions: Map id -> {x, y}, groups: [{id, department, count, members, x, y}], parents: Map id -> group
 * frame id, frames: [{id, department, count}], hidden: Set of ids}.
 */
export function accountLayout({ nodes, edges, rootId, people = new Map() }, { expanded = new Set(), grid = ACCOUNT_GRID } = {}) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const employment = new Map();
  for (const e of edges) {
    if (e.type === "WORKS_AT" && e.target === rootId && byId.get(e.source)?.type === "Person") employment.set(e.source, e.properties || {});
  }
  const staff = [];
  const users = [];
  const companies = [];
  const others = [];
  for (const n of nodes) {
    if (n.id === rootId) continue;
    if (n.type === "Person" && employment.has(n.id)) staff.push(n);
    else if (n.type === "User") users.push(n);
    else if (n.type === "Company") companies.push(n);
    else others.push(n);
  }
  const byName = (a, b) => String(a.label).localeCompare(String(b.label));
  // Departments: the employment's department, else the person's, else none ("").
  const departments = new Map();
  for (const p of staff) {
    const facts = people.get(p.id) || {};
    const dept = String(employment.get(p.id).department || facts.department || "").trim();
    const rank = SENIORITY_ORDER.indexOf(seniorityOf(facts.seniority, employment.get(p.id).title || facts.title || p.subtitle));
    if (!departments.has(dept)) departments.set(dept, []);
    departments.get(dept).push({ node: p, rank });
  }
  const order = [...departments.entries()].sort((a, b) => (a[0] === "") - (b[0] === "") || b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const collapse = staff.length > grid.collapseAbove;
  const positions = new Map();
  const parents = new Map();
  const groups = [];
  const frames = [];
  const hidden = new Set();
  positions.set(rootId, { x: 0, y: 0 });

  // Department columns (a large expanded department takes several columns of at most maxRows).
  const blocks = order.map(([dept, members], i) => {
    members.sort((a, b) => a.rank - b.rank || byName(a.node, b.node));
    const id = `dept:${i}`;
    const folded = collapse && members.length > grid.groupMax && !expanded.has(dept);
    return { id, dept, members, folded, columns: folded ? 1 : Math.ceil(members.length / grid.maxRows) };
  });
  const totalWidth = blocks.reduce((s, b) => s + b.columns * grid.column, 0) + grid.groupGap * Math.max(0, blocks.length - 1);
  let left = -totalWidth / 2;
  const top = grid.row * 2.4;
  for (const b of blocks) {
    frames.push({ id: b.id, department: b.dept, count: b.members.length });
    if (b.folded) {
      const g = { id: `group:${b.id}`, department: b.dept, count: b.members.length, members: b.members.map((m) => m.node.id),
        x: left + grid.column / 2, y: top };
      groups.push(g);
      positions.set(g.id, { x: g.x, y: g.y });
      parents.set(g.id, b.id);
      g.members.forEach((id) => hidden.add(id));
    } else {
      b.members.forEach((m, i) => {
        const col = Math.floor(i / grid.maxRows);
        positions.set(m.node.id, { x: left + col * grid.column + grid.column / 2, y: top + (i % grid.maxRows) * grid.row });
        parents.set(m.node.id, b.id);
      });
    }
    left += b.columns * grid.column + grid.groupGap;
  }
  const edgeLeft = Math.min(-grid.column, -totalWidth / 2);
  const edgeRight = Math.max(grid.column, totalWidth / 2);
  // Our users: a column (or several) on the left; other companies on the right, both from the company's row down.
  const column = (list, x0, step) => list.sort(byName).forEach((n, i) => {
    positions.set(n.id, { x: x0 + step * Math.floor(i / grid.maxRows) * grid.column, y: (i % grid.maxRows) * grid.row });
  });
  column(users, edgeLeft - grid.sideGap - grid.column / 2, -1);
  column(companies, edgeRight + grid.sideGap + grid.column / 2, 1);
  // Everything else (deals, tickets, people met elsewhere, ...) in rows above the company, by type.
  const perRow = Math.max(4, Math.floor((edgeRight - edgeLeft) / grid.column) + 1);
  const sortedOthers = others.sort((a, b) => String(a.type).localeCompare(String(b.type)) || byName(a, b));
  sortedOthers.forEach((n, i) => {
    const row = Math.floor(i / perRow);
    const inRow = Math.min(perRow, sortedOthers.length - row * perRow);
    positions.set(n.id, { x: ((i % perRow) - (inRow - 1) / 2) * grid.column, y: -grid.row * 2.4 - row * grid.row });
  });
  return { positions, groups, parents, frames, hidden };
}

/** True when two boxes {x1, y1, x2, y2} overlap (touching edges do not count). */
export function overlaps(a, b) {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** Pairs of overlapping boxes among `boxes` ([{id, x1, y1, x2, y2}]); a sweep over x keeps it near O(n log n). */
export function overlappingPairs(boxes) {
  const sorted = [...boxes].sort((a, b) => a.x1 - b.x1);
  const pairs = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x1 < sorted[i].x2; j++) {
      if (overlaps(sorted[i], sorted[j])) pairs.push([sorted[i].id, sorted[j].id]);
    }
  }
  return pairs;
}
