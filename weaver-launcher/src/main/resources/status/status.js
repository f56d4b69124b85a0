// The weaver's status page: reads /status.json every second and draws it. No framework, no build step.
// Rates and latency percentiles "over the last minute" come from the difference between the newest
// reading and the oldest one this page kept from the last 60 s (server times), as Prometheus' rate() does.
'use strict';

const TOKEN_KEY = 'weaver.admin.token';
const WINDOW_MS = 60000;
const samples = []; // {t: server time in ms, report}

const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.className = v; else if (k === 'title') e.title = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c === null || c === undefined ? '' : c); // text nodes: data is never parsed as HTML
  return e;
}

function num(field, value, text) {
  return el('td', {class: 'num', 'data-field': field, 'data-value': value === null ? '' : String(value)},
    value === null ? '–' : text !== undefined ? text : fmt.format(value));
}

function ago(nowMs, iso) {
  if (!iso) return '–';
  const s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  return s < 120 ? s + ' s ago' : s < 7200 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
}

function seconds(v) {
  return v < 1 ? Math.round(v * 1000) + ' ms' : v.toFixed(2) + ' s';
}

/** The oldest kept reading within the last minute before the newest, or null when there is only one. */
function baseline() {
  return samples.length > 1 ? samples[0] : null;
}

/** Per minute, between the baseline and the newest reading. */
function perMinute(read) {
  const base = baseline();
  const last = samples[samples.length - 1];
  if (!base) return null;
  const now = read(last.report);
  const then = read(base.report);
  if (now === null || then === null || now < then) return null; // a unit that moved to another process restarts its count
  return Math.round((now - then) * 60000 / (last.t - base.t));
}

function windowText() {
  const base = baseline();
  if (!base) return 'measuring';
  const s = Math.round((samples[samples.length - 1].t - base.t) / 1000);
  return s >= 59 ? 'last minute' : 'last ' + s + ' s';
}

/** The q-quantile of attempts between two cumulative histograms, interpolated inside its bucket as Prometheus does. */
function quantile(q, buckets, older) {
  const counts = buckets.map(([le, c], i) => [le, c - (older ? older[i][1] : 0)]);
  const total = counts.length ? counts[counts.length - 1][1] : 0;
  if (total <= 0) return null;
  const rank = q * total;
  let prevLe = 0, prevCount = 0;
  for (const [le, c] of counts) {
    if (c >= rank) return prevLe + (le - prevLe) * (c === prevCount ? 1 : (rank - prevCount) / (c - prevCount));
    prevLe = le; prevCount = c;
  }
  return prevLe;
}

function unitKey(pipeline, unit) {
  return pipeline + '/' + unit;
}

function drawPipelines(report, nowMs) {
  const table = $('pipelines');
  table.querySelectorAll('tbody').forEach((b) => b.remove());
  for (const p of report.pipelines) {
    const body = el('tbody', {'data-pipeline': p.name, 'data-paused': String(p.paused !== null), 'data-deployed': String(p.deployed)});
    const head = el('th', {colspan: '8', class: 'pipeline'}, el('span', {class: 'name'}, p.name), ' ', el('span', {class: 'muted'}, p.type));
    if (p.paused !== null) head.append(' ', el('span', {class: 'badge paused', 'data-field': 'paused'}, 'paused: ' + p.paused));
    if (!p.deployed) head.append(' ', el('span', {class: 'badge stopped'}, 'not deployed'));
    const elsewhere = p.units.length - p.owned.length;
    if (elsewhere > 0) head.append(' ', el('span', {class: 'muted'}, elsewhere + ' of ' + p.units.length + ' units run in other processes'));
    body.append(el('tr', {}, head));
    for (const u of p.owned) {
      const key = unitKey(p.name, u.unit);
      const rate = perMinute((r) => {
        const pipeline = r.pipelines.find((x) => x.name === p.name);
        const unit = pipeline && pipeline.owned.find((x) => x.unit === u.unit);
        return unit ? unit.events : null;
      });
      const lag = u.lag ? u.lag.kind + ' ' + fmt.format(u.lag.value) + (u.lag.late ? ' (late)' : '') : '–';
      const why = [u.reason, u.detail, u.lastError && 'last error: ' + u.lastError].filter(Boolean).join(' · ');
      body.append(el('tr', {'data-unit': key, 'data-state': u.state},
        el('td', {}, ''),
        el('td', {'data-field': 'unit'}, u.unit),
        el('td', {'data-field': 'state'}, el('span', {class: 'badge ' + u.state}, u.state)),
        el('td', {'data-field': 'owner'}, u.owner),
        el('td', {'data-field': 'lastEvent', 'data-value': u.lastEvent || '', title: u.lastEvent || ''}, ago(nowMs, u.lastEvent)),
        num('events', rate),
        el('td', {'data-field': 'lag', 'data-value': u.lag ? String(u.lag.value) : ''}, lag),
        el('td', {'data-field': 'why', class: 'why', title: why}, why)));
    }
    if (p.owned.length === 0) body.append(el('tr', {}, el('td', {}, ''), el('td', {colspan: '7', class: 'muted'}, 'no unit in this process')));
    table.append(body);
  }
}

function drawFeeder(report) {
  const body = $('feeders').querySelector('tbody');
  body.replaceChildren(...report.feeders.map((f) => el('tr', {'data-feeder': f.instance},
    el('td', {}, f.instance), num('limit', f.limit), num('inflight', f.inflight), num('queued', f.queued),
    el('td', {'data-field': 'circuit'}, el('span', {class: 'badge ' + (f.circuitOpen ? 'stopped' : 'running')}, f.circuitOpen ? 'open' : 'closed')),
    el('td', {'data-field': 'blocked'}, f.blocked ? el('span', {class: 'badge stopped'}, '507 refusing writes') : 'accepting'))));
  if (report.feeders.length === 0) body.append(el('tr', {}, el('td', {colspan: '6', class: 'muted'}, 'no feeder in this process')));
  const feed = $('feed');
  const set = (field, text, value) => {
    const e = feed.querySelector('[data-field="' + field + '"]');
    e.textContent = text;
    e.dataset.value = value === undefined ? '' : String(value);
  };
  set('attempts', fmt.format(report.feed.attempts), report.feed.attempts);
  const base = baseline();
  const older = base && base.report.feed.latency.length === report.feed.latency.length ? base.report.feed.latency : null;
  const p50 = quantile(0.5, report.feed.latency, older);
  const p99 = quantile(0.99, report.feed.latency, older);
  $('latency-label').textContent = 'latency p50 · p99 (' + (older ? windowText() : 'since start') + ')';
  set('p50', p50 === null ? 'no attempts' : seconds(p50), p50 === null ? '' : p50);
  set('p99', p99 === null ? '–' : seconds(p99), p99 === null ? '' : p99);
  const r429 = report.feed.retries['429'] || 0;
  set('retries429', fmt.format(r429), r429);
  const recent = perMinute((r) => r.feed.retries['429'] || 0);
  set('retries429-recent', recent === null ? '' : '(' + fmt.format(recent) + '/min, ' + windowText() + ')', recent === null ? '' : recent);
  const other = Object.entries(report.feed.retries).filter(([k]) => k !== '429').reduce((a, [, v]) => a + v, 0);
  set('retries-other', fmt.format(other), other);
}

function drawTopics(report) {
  $('topics').querySelector('tbody').replaceChildren(...report.topics.map((t) => el('tr', {'data-topic': t.topic},
    el('td', {}, t.topic), num('produced', t.produced), num('fed', t.fed),
    num('fedPerMinute', perMinute((r) => { const x = r.topics.find((y) => y.topic === t.topic); return x ? x.fed : null; })),
    num('rejected', t.rejected), num('lag', t.lag))));
}

function drawDeadLetters(report, nowMs) {
  const counts = report.deadLetters.filter((d) => d.count > 0);
  const body = $('dead-letter-counts').querySelector('tbody');
  body.replaceChildren(...counts.map((d) => el('tr', {'data-dead-letters': d.topic + '/' + d.stage},
    el('td', {}, d.topic), el('td', {}, d.stage), num('count', d.count))));
  if (counts.length === 0) body.append(el('tr', {}, el('td', {colspan: '3', class: 'muted', 'data-field': 'none'}, 'none written by this process')));
  const latest = $('dead-letters').querySelector('tbody');
  latest.replaceChildren(...report.latestDeadLetters.map((d) => el('tr', {'data-dead-letter': d.origin},
    el('td', {title: d.time}, ago(nowMs, d.time)), el('td', {}, d.topic), el('td', {}, d.stage),
    el('td', {class: 'why', title: d.error + (d.status ? ' (status ' + d.status + ')' : '') + ' · ' + d.origin}, d.error))));
  if (report.latestDeadLetters.length === 0) latest.append(el('tr', {}, el('td', {colspan: '4', class: 'muted'}, 'none')));
}

function draw(report) {
  const nowMs = Date.parse(report.time);
  samples.push({t: nowMs, report});
  while (samples.length > 2 && samples[1].t <= nowMs - WINDOW_MS) samples.shift();
  const ready = $('ready');
  ready.textContent = report.ready ? 'ready' : 'not ready';
  ready.className = 'badge ' + (report.ready ? 'running' : 'stopped');
  ready.dataset.ready = String(report.ready);
  $('problems').replaceChildren(...report.problems.map((p) => el('li', {'data-problem': ''}, p)));
  drawPipelines(report, nowMs);
  drawFeeder(report);
  drawTopics(report);
  drawDeadLetters(report, nowMs);
  $('updated').textContent = 'updated ' + new Date(nowMs).toISOString().substring(11, 19) + ' UTC';
  // Until the page has read for a minute, its per-minute figures say over how long they were measured.
  document.querySelectorAll('[data-rate-label]').forEach((th) => { th.textContent = th.dataset.rateLabel + ' (' + windowText() + ')'; });
  document.body.dataset.state = 'live';
  document.body.dataset.time = report.time;
  document.body.dataset.readings = String(samples.length);
}

async function refresh() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  try {
    const response = await fetch('status.json', {headers: token ? {Authorization: 'Bearer ' + token} : {}, cache: 'no-store'});
    if (response.status === 401) {
      $('login').hidden = false;
      $('login-error').textContent = token ? 'that token was refused' : '';
      document.body.dataset.state = 'token-needed';
      return;
    }
    if (!response.ok) throw new Error('HTTP ' + response.status);
    $('login').hidden = true;
    draw(await response.json());
  } catch (e) {
    document.body.dataset.state = 'unreachable';
    $('updated').textContent = 'cannot read /status.json (' + e.message + '); showing the last reading';
  }
}

// A token may come in the address's fragment (#token=…), which browsers never send to a server: kept, then removed.
const fragment = new URLSearchParams(location.hash.substring(1));
if (fragment.get('token')) {
  sessionStorage.setItem(TOKEN_KEY, fragment.get('token'));
  history.replaceState(null, '', location.pathname + location.search);
}
$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value);
  $('token').value = '';
  refresh();
});
refresh();
setInterval(refresh, 1000);
