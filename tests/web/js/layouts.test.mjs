// Unit tests of the pure layouts (crn/web/static/js/layouts.js); run by tests/web/test_layouts.py via `node --test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ORG_BOX, ACCOUNT_GRID, orgTree, orgLayout, defaultCollapsed, descendants, initials, seniorityOf, accountLayout,
  overlappingPairs,
} from "../../../crn/web/static/js/layouts.js";

/** A random org of `n` people (seeded): person i reports to someone before it, some lone people. */
function randomOrg(n, seed = 7) {
  let s = seed;
  const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  return Array.from({ length: n }, (_, i) => ({ id: `p${i}`, managerId: i === 0 || rand() < 0.03 ? null : `p${Math.floor(rand() * Math.min(i, 40 + i / 3))}` }));
}

function orgBoxes(layout, box = ORG_BOX) {
  return [...layout.positions].map(([id, p]) => ({ id, x1: p.x - box.width / 2, x2: p.x + box.width / 2, y1: p.y - box.height / 2, y2: p.y + box.height / 2 }));
}

test("orgTree finds roots, children and depths, and cuts loops", () => {
  const tree = orgTree([{ id: "a" }, { id: "b", managerId: "a" }, { id: "c", managerId: "b" }, { id: "x", managerId: "y" }, { id: "y", managerId: "x" }]);
  assert.deepEqual(tree.children.get("a"), ["b"]);
  assert.equal(tree.depth.get("c"), 2);
  assert.ok(tree.roots.includes("a"));
  // The loop x <-> y is cut once: one of them becomes a root, every person is placed.
  assert.equal(tree.roots.filter((r) => r === "x" || r === "y").length, 1);
  assert.equal(tree.depth.size, 5);
  assert.deepEqual(descendants(tree, "a").sort(), ["b", "c"]);
});

test("a 500-person org has no overlapping boxes, expanded or collapsed", () => {
  const tree = orgTree(randomOrg(500));
  const full = orgLayout(tree);
  assert.equal(full.positions.size, 500);
  assert.deepEqual(overlappingPairs(orgBoxes(full)), []);
  const collapsed = defaultCollapsed(tree, 2);
  assert.ok(collapsed.size > 0);
  const folded = orgLayout(tree, { collapsed });
  assert.ok(folded.positions.size < 500);
  assert.deepEqual(overlappingPairs(orgBoxes(folded)), []);
  // Hidden counts add up: visible + hidden below collapsed managers = everyone.
  assert.equal(folded.visible.size + [...folded.hidden.values()].reduce((s, n) => s + n, 0), 500);
  // Managers sit above their reports.
  for (const [id, p] of folded.positions) {
    const m = tree.parent.get(id);
    if (m && folded.positions.has(m)) assert.ok(folded.positions.get(m).y < p.y, `${m} above ${id}`);
  }
});

test("leaf reports are stacked in columns of at most stackMax under their manager", () => {
  const people = [{ id: "boss" }, ...Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, managerId: "boss" }))];
  const { positions } = orgLayout(orgTree(people));
  const xs = new Set([0, 1, 2, 3, 4].map((i) => positions.get(`r${i}`).x));
  assert.equal(xs.size, 1);  // one column
  assert.ok(positions.get("r0").y < positions.get("r4").y);
  const many = [{ id: "boss" }, ...Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, managerId: "boss" }))];
  const wide = orgLayout(orgTree(many));
  assert.equal(new Set([...Array(20).keys()].map((i) => wide.positions.get(`r${i}`).x)).size, Math.ceil(20 / ORG_BOX.stackMax));
});

test("initials and seniority", () => {
  assert.equal(initials("Ada Lovelace King"), "AK");
  assert.equal(initials("王芳"), "王芳");
  assert.equal(initials(""), "?");
  assert.equal(seniorityOf("vp", "Engineer"), "vp");
  assert.equal(seniorityOf("unknown", "Chief Financial Officer"), "c_level");
  assert.equal(seniorityOf(null, "Head of Procurement"), "director");
  assert.equal(seniorityOf(null, ""), "unknown");
});

function account(peopleCount, { depts = ["Sales", "Engineering", "Finance"] } = {}) {
  const nodes = [{ id: "acme", type: "Company", label: "Acme" }];
  const edges = [];
  const people = new Map();
  for (let i = 0; i < peopleCount; i++) {
    nodes.push({ id: `p${i}`, type: "Person", label: `Person ${i}`, subtitle: i % 7 === 0 ? "Chief Officer" : "Analyst" });
    edges.push({ source: `p${i}`, target: "acme", type: "WORKS_AT", properties: { department: depts[i % depts.length] } });
    people.set(`p${i}`, { seniority: i % 11 === 0 ? "vp" : "unknown" });
  }
  nodes.push({ id: "u1", type: "User", label: "Una User" }, { id: "u2", type: "User", label: "Ulf User" });
  nodes.push({ id: "sub", type: "Company", label: "Acme GmbH" }, { id: "d1", type: "Deal", label: "Deal 1" });
  nodes.push({ id: "elsewhere", type: "Person", label: "Board member" });
  return { nodes, edges, rootId: "acme", people };
}

test("account layout: company centre, users left, companies right, people by department and seniority", () => {
  const data = account(12);
  const { positions, groups, frames, parents } = accountLayout(data);
  assert.deepEqual(positions.get("acme"), { x: 0, y: 0 });
  const peopleXs = [...Array(12).keys()].map((i) => positions.get(`p${i}`).x);
  assert.ok(positions.get("u1").x < Math.min(...peopleXs) && positions.get("u2").x < Math.min(...peopleXs));
  assert.ok(positions.get("sub").x > Math.max(...peopleXs));
  assert.ok(positions.get("d1").y < 0 && positions.get("elsewhere").y < 0);
  assert.equal(groups.length, 0);  // small accounts are not folded
  assert.equal(frames.length, 3);
  // One column per department; within it the most senior first.
  for (const frame of frames) {
    const members = [...parents].filter(([, f]) => f === frame.id).map(([id]) => id);
    assert.equal(new Set(members.map((id) => positions.get(id).x)).size, 1);
    const ys = members.map((id) => ({ id, y: positions.get(id).y })).sort((a, b) => a.y - b.y);
    const rank = (id) => (data.people.get(id).seniority === "vp" ? 1 : data.nodes.find((n) => n.id === id).subtitle.startsWith("Chief") ? 0 : 4);
    const ranks = ys.map((m) => rank(m.id));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  }
  const boxes = [...positions].map(([id, p]) => ({ id, x1: p.x - 85, x2: p.x + 85, y1: p.y - 12, y2: p.y + 30 }));
  assert.deepEqual(overlappingPairs(boxes), []);  // label-sized cells never overlap
});

test("large accounts fold big departments into a group node with a count, which expands", () => {
  const data = account(120);
  const folded = accountLayout(data);
  assert.equal(folded.groups.length, 3);
  assert.deepEqual(folded.groups.map((g) => g.count), [40, 40, 40]);
  assert.equal(folded.hidden.size, 120);
  assert.ok(!folded.positions.has("p0"));
  const dept = folded.groups[0].department;
  const open = accountLayout(data, { expanded: new Set([dept]) });
  assert.equal(open.groups.length, 2);
  assert.equal(open.hidden.size, 80);
  const shown = folded.groups[0].members.map((id) => open.positions.get(id));
  assert.ok(shown.every(Boolean));
  assert.equal(new Set(shown.map((p) => p.x)).size, Math.ceil(40 / ACCOUNT_GRID.maxRows));
  const boxes = [...open.positions].map(([id, p]) => ({ id, x1: p.x - 85, x2: p.x + 85, y1: p.y - 12, y2: p.y + 30 }));
  assert.deepEqual(overlappingPairs(boxes), []);
});
