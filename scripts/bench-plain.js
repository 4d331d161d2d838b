// Plain JavaScript references for `./build.sh bench` (scripts/bench-browser.mjs injects
// this file into a page in headless Chromium): the W1 Kaplan–Meier curve and the W4/W5
// bootstrap written by hand with typed arrays, as tight as plain JavaScript gets. The
// same work as sibstat's, for comparison only: the page never uses these.
/* eslint-disable no-unused-vars */

// W1: Kaplan–Meier (any status ≠ 0 an event) with Greenwood standard errors and 95 %
// log-log limits at each distinct time.
function plainKaplanMeier(time, status) {
  const n = time.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const times = new Float64Array(n);
  const surv = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  let atRisk = n;
  let s = 1;
  let greenwood = 0;
  let rows = 0;
  const z = 1.959963984540054;
  for (let k = 0; k < n; ) {
    const t = time[order[k]];
    let d = 0;
    let leaving = 0;
    while (k < n && time[order[k]] === t) {
      if (status[order[k]] !== 0) d++;
      leaving++;
      k++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : Infinity;
    }
    const se = Math.sqrt(greenwood);
    const half = (z * se) / Math.log(s);
    const centre = Math.log(-Math.log(s));
    times[rows] = t;
    surv[rows] = s;
    lower[rows] = Math.exp(-Math.exp(centre - half));
    upper[rows] = Math.exp(-Math.exp(centre + half));
    rows++;
    atRisk -= leaving;
  }
  return { time: times.subarray(0, rows), survival: surv.subarray(0, rows), lower: lower.subarray(0, rows), upper: upper.subarray(0, rows) };
}

// W4/W5: the bootstrap of S(t1) and S(t2) with percentile intervals. xoshiro128**
// (32-bit, the fast choice in JavaScript), n index draws tallied into the distinct
// (time, event) rows, one product-limit pass per replicate.
function plainBootstrapKm(time, status, t1, t2, replicates, seed) {
  const n = time.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b] || (status[b] !== 0) - (status[a] !== 0));
  const rowTime = new Float64Array(n);
  const rowEvent = new Uint8Array(n);
  const rowOf = new Uint32Array(n);
  let rows = 0;
  for (const i of order) {
    const e = status[i] !== 0 ? 1 : 0;
    if (rows === 0 || rowTime[rows - 1] !== time[i] || rowEvent[rows - 1] !== e) {
      rowTime[rows] = time[i];
      rowEvent[rows] = e;
      rows++;
    }
    rowOf[i] = rows - 1;
  }
  const counts = new Int32Array(rows);
  const s1 = new Float64Array(replicates);
  const s2 = new Float64Array(replicates);
  let a = seed | 0 || 1;
  let b = 0x9e3779b9;
  let c = 0x243f6a88;
  let d = 0xb7e15162;
  for (let r = 0; r < replicates; r++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) {
      const result = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      counts[rowOf[Math.floor((result * n) / 4294967296)]]++;
    }
    let atRisk = n;
    let s = 1;
    let x = 1;
    let y = 1;
    for (let k = 0; k < rows; ) {
      const t = rowTime[k];
      let events = 0;
      let leaving = 0;
      while (k < rows && rowTime[k] === t) {
        leaving += counts[k];
        if (rowEvent[k]) events += counts[k];
        k++;
      }
      if (events > 0) s *= 1 - events / atRisk;
      atRisk -= leaving;
      if (t <= t1) x = s;
      if (t <= t2) y = s;
    }
    s1[r] = x;
    s2[r] = y;
  }
  s1.sort();
  s2.sort();
  const at = (v, p) => v[Math.min(Math.max(Math.floor((v.length + 1) * p), 1), v.length) - 1];
  return [at(s1, 0.025), at(s1, 0.975), at(s2, 0.025), at(s2, 0.975)];
}
