// TelemetryKit's built-in dashboard. Polls /metrics (one registry snapshot per poll), keeps
// 15 minutes of derived points in memory and draws hand-written SVG charts. Loads nothing
// from any other origin; the server's Content-Security-Policy enforces that.
(function () {
  'use strict';
  var C = window.PromCalc;
  var params = new URLSearchParams(window.location.search);
  var INTERVAL_S = clamp(Number(params.get('interval')) || 5, 1, 60);
  var HISTORY_S = 15 * 60;
  // Rates and quantiles cover the last 30 s (or since the page opened), like rate(x[30s]).
  var WINDOW_S = Math.max(30, 2 * INTERVAL_S);
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies; dash patterns
  // add a second cue for series 8 and on.
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00',
    '#000000', '#F0E442'];
  var DASHES = ['', '6 3', '2 3'];
  var W = 560, H = 210, ML = 62, MR = 12, MT = 10, MB = 38;

  var snapshots = [];   // {t, samples, names}; only the last WINDOW_S are kept
  var charts = {};      // chart id -> {spec, series: Map key -> {label, colour, points}}
  var sectionsShown = {};
  var polls = 0;

  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // ---- what each chart computes from (current snapshot, baseline snapshot) ----------------

  function join(labels, by) {
    return by.map(function (l) { return labels[l]; }).filter(function (v) { return v; })
      .join(' ') || '(none)';
  }

  function rateBy(name, by, filter) {
    return function (cur, base) {
      if (!base) return [];
      var now = C.sumBy(cur.samples, name, by, filter);
      var before = C.sumBy(base.samples, name, by, filter);
      var dt = cur.t - base.t;
      var out = [];
      now.forEach(function (e, key) {
        var b = before.get(key);
        out.push({ key: key, label: join(e.labels, by), value: C.rate(b && b.value, e.value, dt) });
      });
      return out;
    };
  }

  function ratioBy(name, by, numFilter, denFilter, scale) {
    return function (cur, base) {
      if (!base) return [];
      var num = C.sumBy(cur.samples, name, by, numFilter);
      var numB = C.sumBy(base.samples, name, by, numFilter);
      var den = C.sumBy(cur.samples, name, by, denFilter);
      var denB = C.sumBy(base.samples, name, by, denFilter);
      var out = [];
      den.forEach(function (e, key) {
        var b = denB.get(key);
        var d = C.increase(b && b.value, e.value);
        var n = num.get(key);
        var nb = numB.get(key);
        var inc = n ? C.increase(nb && nb.value, n.value) : 0;
        out.push({ key: key, label: join(e.labels, by), value: d > 0 ? scale * inc / d : NaN });
      });
      return out;
    };
  }

  function quantileBy(family, by, q, filter) {
    return function (cur, base) {
      if (!base) return [];
      var now = C.bucketsBy(cur.samples, family, by, filter);
      var before = C.bucketsBy(base.samples, family, by, filter);
      var out = [];
      now.forEach(function (e, key) {
        var b = before.get(key);
        out.push({ key: key, label: join(e.labels, by),
          value: 1000 * C.windowQuantile(q, b && b.buckets, e.buckets) });
      });
      return out;
    };
  }

  function quantiles(family, qs) {
    return function (cur, base) {
      var out = [];
      qs.forEach(function (q) {
        quantileBy(family, [], q)(cur, base).forEach(function (p) {
          out.push({ key: 'p' + q * 100, label: 'p' + q * 100, value: p.value });
        });
      });
      return out;
    };
  }

  function meanBy(family, by, scale) {
    return function (cur, base) {
      if (!base) return [];
      var sum = C.sumBy(cur.samples, family + '_sum', by);
      var sumB = C.sumBy(base.samples, family + '_sum', by);
      var cnt = C.sumBy(cur.samples, family + '_count', by);
      var cntB = C.sumBy(base.samples, family + '_count', by);
      var out = [];
      cnt.forEach(function (e, key) {
        var cb = cntB.get(key), s = sum.get(key), sb = sumB.get(key);
        var n = C.increase(cb && cb.value, e.value);
        var total = s ? C.increase(sb && sb.value, s.value) : NaN;
        out.push({ key: key, label: join(e.labels, by), value: n > 0 ? scale * total / n : NaN });
      });
      return out;
    };
  }

  function gaugeBy(name, by, filter, transform, prefix) {
    return function (cur) {
      var out = [];
      C.sumBy(cur.samples, name, by, filter).forEach(function (e, key) {
        var name = by.length ? join(e.labels, by) : '';
        var label = prefix ? (name ? prefix.trim() + ' ' + name : prefix.trim()) : (name || 'total');
        out.push({ key: (prefix || '') + key, label: label,
          value: transform ? transform(e.value, cur) : e.value });
      });
      return out;
    };
  }

  function combine() {
    var parts = Array.prototype.slice.call(arguments);
    return function (cur, base) {
      var out = [];
      parts.forEach(function (p) { out = out.concat(p(cur, base)); });
      return out;
    };
  }

  // Every counter of a family prefix, one series per metric and label set.
  function ratesOfPrefix(prefix) {
    return function (cur, base) {
      if (!base) return [];
      var before = new Map();
      base.samples.forEach(function (s) {
        if (s.name.indexOf(prefix) === 0 && /_total$/.test(s.name)) before.set(seriesKey(s), s.value);
      });
      var out = [];
      cur.samples.forEach(function (s) {
        if (s.name.indexOf(prefix) !== 0 || !/_total$/.test(s.name)) return;
        var key = seriesKey(s);
        out.push({ key: key, label: key, value: C.rate(before.get(key), s.value, cur.t - base.t) });
      });
      return out;
    };
  }

  function seriesKey(s) {
    var parts = Object.keys(s.labels).sort().map(function (k) { return s.labels[k]; })
      .filter(function (v) { return v; });
    return s.name.replace(/_total$/, '') + (parts.length ? ' ' + parts.join(' ') : '');
  }

  function is(label, value) { return function (l) { return l[label] === value; }; }
  function serverError(l) { return /^5/.test(l.http_response_status_code || '') || !!l.error_type; }
  function any() { return true; }
  function sinceNow(v, cur) { return v > 0 ? cur.t - v : NaN; }

  var HTTP = 'http_server_request_duration_seconds';
  var CLIENT = 'http_client_request_duration_seconds';
  var DB = 'db_client_operation_duration_seconds';

  var SECTIONS = [
    { id: 'http-server', title: 'HTTP server', when: [HTTP + '_count', 'http_server_active_requests'],
      table: true, charts: [
        { id: 'http-rate', title: 'Requests per second by route', unit: 'req/s',
          compute: rateBy(HTTP + '_count', ['http_route']) },
        { id: 'http-errors', title: 'Error ratio by route (5xx or failed)', unit: '%',
          compute: ratioBy(HTTP + '_count', ['http_route'], serverError, any, 100) },
        { id: 'http-p95', log: true, title: 'Latency p95 by route', unit: 'ms',
          compute: quantileBy(HTTP, ['http_route'], 0.95) },
        { id: 'http-latency', log: true, title: 'Latency p50 / p95 / p99, all routes', unit: 'ms',
          compute: quantiles(HTTP, [0.5, 0.95, 0.99]) },
        { id: 'http-inflight', title: 'In-flight requests', unit: 'requests',
          compute: gaugeBy('http_server_active_requests', ['http_request_method']) }
      ] },
    { id: 'http-client', title: 'HTTP clients', when: [CLIENT + '_count'], charts: [
        { id: 'client-rate', title: 'Requests per second by server', unit: 'req/s',
          compute: rateBy(CLIENT + '_count', ['server_address']) },
        { id: 'client-errors', title: 'Error ratio by server (5xx or failed)', unit: '%',
          compute: ratioBy(CLIENT + '_count', ['server_address'], serverError, any, 100) },
        { id: 'client-p95', log: true, title: 'Latency p95 by server', unit: 'ms',
          compute: quantileBy(CLIENT, ['server_address'], 0.95) }
      ] },
    { id: 'db', title: 'Database', when: [DB + '_count', 'db_client_connections_usage'], charts: [
        { id: 'db-rate', title: 'Operations per second by operation', unit: 'ops/s',
          compute: rateBy(DB + '_count', ['db_operation_name']) },
        { id: 'db-p95', log: true, title: 'Operation latency p95 by operation', unit: 'ms',
          compute: quantileBy(DB, ['db_operation_name'], 0.95) },
        { id: 'db-pool', title: 'Connection pool', unit: 'connections',
          compute: combine(
            gaugeBy('db_client_connections_usage', ['db_client_connection_state', 'db_client_connection_pool_name']),
            gaugeBy('db_client_connection_max', ['db_client_connection_pool_name'], null, null, 'max '),
            gaugeBy('db_client_connection_pending_requests', ['db_client_connection_pool_name'], null, null, 'pending ')) },
        { id: 'db-slow', title: 'Slow and repeated queries', unit: 'queries/s',
          compute: combine(ratesOfPrefix('db_client_slow_'), ratesOfPrefix('db_client_repeated_')) }
      ] },
    { id: 'cache', title: 'Caches', when: ['cache_gets_total'], charts: [
        { id: 'cache-hit', title: 'Hit ratio by cache and tier', unit: '%',
          compute: ratioBy('cache_gets_total', ['cache', 'cache_tier'], is('result', 'hit'), any, 100) },
        { id: 'cache-evictions', title: 'Evictions per second by cache and cause', unit: 'evictions/s',
          compute: rateBy('cache_evictions_total', ['cache', 'cause']) }
      ] },
    { id: 'rate-limiter', title: 'Rate limiters', when: ['rate_limiter_requests_total'], charts: [
        { id: 'limiter-rate', title: 'Allowed vs throttled by limiter', unit: 'req/s',
          compute: rateBy('rate_limiter_requests_total', ['limiter', 'tier', 'outcome']) }
      ] },
    { id: 'batch', title: 'Batch processors', when: ['batch_processor_items_total', 'batch_processor_queue_depth'], charts: [
        { id: 'batch-items', title: 'Items per second by processor and outcome', unit: 'items/s',
          compute: rateBy('batch_processor_items_total', ['processor', 'outcome']) },
        { id: 'batch-failures', title: 'Failed batches per second', unit: 'batches/s',
          compute: rateBy('batch_processor_batches_total', ['processor'], is('outcome', 'failure')) },
        { id: 'batch-queue', title: 'Queue depth', unit: 'items',
          compute: gaugeBy('batch_processor_queue_depth', ['processor']) },
        { id: 'batch-since', title: 'Time since last successful batch', unit: 's',
          compute: gaugeBy('batch_processor_last_success_timestamp_seconds', ['processor'], null, sinceNow) }
      ] },
    { id: 'executor', title: 'Executors', when: ['executor_queued_tasks', 'executor_task_wait_seconds_count'], charts: [
        { id: 'executor-queue', title: 'Queued tasks', unit: 'tasks',
          compute: gaugeBy('executor_queued_tasks', ['executor']) },
        { id: 'executor-wait', title: 'Mean queue wait', unit: 'ms',
          compute: meanBy('executor_task_wait_seconds', ['executor'], 1000) }
      ] },
    { id: 'health', title: 'Health checks', when: ['health_check_status', 'health_ready'], charts: [
        { id: 'health-status', title: 'Status by check (1 = up, 0 = down)', unit: 'up',
          compute: combine(gaugeBy('health_ready', [], null, null, 'ready'),
            gaugeBy('health_check_status', ['check'])) },
        { id: 'health-duration', title: 'Duration of the last run by check', unit: 'ms',
          compute: gaugeBy('health_check_duration_seconds', ['check'], null, function (v) { return v * 1000; }) },
        { id: 'health-failures', title: 'Failed runs per second by check', unit: 'runs/s',
          compute: rateBy('health_check_failures_total', ['check']) }
      ] },
    { id: 'jvm', title: 'JVM', when: ['jvm_memory_used_bytes', 'jvm_threads_current'], charts: [
        { id: 'jvm-heap', title: 'Heap used and max', unit: 'MiB',
          compute: combine(
            gaugeBy('jvm_memory_used_bytes', [], is('area', 'heap'), mib, 'used'),
            gaugeBy('jvm_memory_committed_bytes', [], is('area', 'heap'), mib, 'committed'),
            gaugeBy('jvm_memory_max_bytes', [], is('area', 'heap'), mib, 'max')) },
        { id: 'jvm-gc', title: 'GC pause time per second by collector', unit: 'ms/s',
          compute: scaled(rateBy('jvm_gc_collection_seconds_sum', ['gc']), 1000) },
        { id: 'jvm-threads', title: 'Threads', unit: 'threads',
          compute: combine(gaugeBy('jvm_threads_current', [], null, null, 'live'),
            gaugeBy('jvm_threads_daemon', [], null, null, 'daemon')) },
        { id: 'jvm-cpu', title: 'Process CPU', unit: '% of one core',
          compute: scaled(rateBy('process_cpu_seconds_total', []), 100) }
      ] },
    { id: 'self', title: 'TelemetryKit itself', whenPrefix: 'telemetrykit_', charts: [
        { id: 'self-events', title: 'Overflow, dropped spans, redactions, errors', unit: 'events/s',
          compute: ratesOfPrefix('telemetrykit_') }
      ] }
  ];

  function mib(v) { return v / 1048576; }
  function scaled(f, k) {
    return function (cur, base) {
      return f(cur, base).map(function (p) {
        return { key: p.key, label: p.label === '(none)' ? 'process' : p.label, value: p.value * k };
      });
    };
  }

  // ---- polling -----------------------------------------------------------------------------

  function poll() {
    var started = performance.now();
    fetch('metrics', { headers: { Accept: 'text/plain; version=0.0.4' }, cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) throw new Error('GET /metrics answered ' + r.status);
        return r.text();
      })
      .then(function (text) {
        var parsed = C.parse(text);
        var names = new Set();
        parsed.samples.forEach(function (s) { names.add(s.name); });
        Object.keys(parsed.types).forEach(function (n) { names.add(n); });
        var snap = { t: Date.now() / 1000, samples: parsed.samples, names: names };
        var base = null;
        for (var i = 0; i < snapshots.length; i++) {
          if (snap.t - snapshots[i].t <= WINDOW_S + 0.5) { base = snapshots[i]; break; }
        }
        snapshots.push(snap);
        while (snapshots.length && snap.t - snapshots[0].t > WINDOW_S + INTERVAL_S) snapshots.shift();
        update(snap, base);
        polls++;
        document.body.setAttribute('data-polls', String(polls));
        setStatus('Updated ' + clock(snap.t) + ' · every ' + INTERVAL_S + ' s · rates over the last '
          + Math.round(base ? snap.t - base.t : 0) + ' s · ' + parsed.samples.length + ' samples, '
          + Math.round(text.length / 1024) + ' KB in ' + Math.round(performance.now() - started) + ' ms', false);
      })
      .catch(function (e) { setStatus('Polling failed: ' + e.message, true); })
      .then(function () { window.setTimeout(poll, INTERVAL_S * 1000); });
  }

  function setStatus(text, error) {
    var el = document.getElementById('status');
    el.textContent = text;
    el.className = error ? 'error' : '';
  }

  function update(snap, base) {
    var service = snap.samples.filter(function (s) { return s.name === 'target_info'; })[0];
    if (service) document.getElementById('service').textContent = service.labels.service_name || '';
    SECTIONS.forEach(function (section) {
      if (!sectionsShown[section.id] && !present(section, snap)) return;
      if (!sectionsShown[section.id]) buildSection(section);
      section.charts.forEach(function (spec) {
        var chart = charts[spec.id];
        spec.compute(snap, base).forEach(function (p) {
          var s = chart.series.get(p.key);
          if (!s) {
            var n = chart.series.size;
            s = { label: p.label, colour: PALETTE[n % PALETTE.length],
              dash: DASHES[Math.floor(n / PALETTE.length) % DASHES.length], points: [] };
            chart.series.set(p.key, s);
          }
          s.points.push([snap.t, p.value]);
        });
        chart.series.forEach(function (s) {
          while (s.points.length && snap.t - s.points[0][0] > HISTORY_S) s.points.shift();
        });
        render(chart, snap.t);
      });
      if (section.table) renderRouteTable(snap, base);
    });
  }

  function present(section, snap) {
    if (section.whenPrefix) {
      var found = false;
      snap.names.forEach(function (n) { if (n.indexOf(section.whenPrefix) === 0) found = true; });
      return found;
    }
    return section.when.some(function (n) { return snap.names.has(n); });
  }

  // ---- DOM ---------------------------------------------------------------------------------

  function buildSection(section) {
    sectionsShown[section.id] = true;
    var el = document.createElement('section');
    el.setAttribute('data-section', section.id);
    el.setAttribute('aria-labelledby', 'h-' + section.id);
    var html = '<h2 id="h-' + section.id + '">' + esc(section.title) + '</h2>';
    if (section.table) {
      html += '<table class="routes"><caption>Per route, over the rate window</caption><thead><tr>'
        + '<th scope="col">Route</th><th scope="col">Requests/s</th><th scope="col">Errors</th>'
        + '<th scope="col">p50</th><th scope="col">p95</th><th scope="col">p99</th>'
        + '</tr></thead><tbody></tbody></table>';
    }
    html += '<div class="grid">';
    section.charts.forEach(function (spec) {
      html += '<figure class="chart" data-chart="' + spec.id + '"><figcaption>' + esc(spec.title)
        + '</figcaption><svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="'
        + esc(spec.title + ', ' + spec.unit) + '"></svg><ul class="legend"></ul></figure>';
    });
    el.innerHTML = html + '</div>';
    // Sections keep the order of SECTIONS whatever order they first appear in.
    var container = document.getElementById('sections');
    var after = null;
    var index = SECTIONS.indexOf(section);
    Array.prototype.forEach.call(container.children, function (child) {
      var other = SECTIONS.filter(function (s) { return s.id === child.getAttribute('data-section'); })[0];
      if (!after && other && SECTIONS.indexOf(other) > index) after = child;
    });
    container.insertBefore(el, after);
    section.charts.forEach(function (spec) {
      var fig = el.querySelector('[data-chart="' + spec.id + '"]');
      charts[spec.id] = { spec: spec, series: new Map(), svg: fig.querySelector('svg'),
        legend: fig.querySelector('.legend') };
    });
  }

  function render(chart, now) {
    var t0 = Math.min(now - 60, now - HISTORY_S);
    var first = now;
    var max = 0;
    chart.series.forEach(function (s) {
      s.points.forEach(function (p) {
        if (p[0] < first) first = p[0];
        if (isFinite(p[1]) && p[1] > max) max = p[1];
      });
    });
    t0 = Math.max(t0, Math.min(first, now - 60));
    var span = now - t0;
    var pw = W - ML - MR, ph = H - MT - MB;
    var ticks = [], top, y;
    if (chart.spec.log) {
      // Latency spans decades (a 3 ms median beside a 10 s p99): one decade per grid line.
      var min = Infinity;
      chart.series.forEach(function (s) {
        s.points.forEach(function (p) { if (p[1] > 0 && p[1] < min) min = p[1]; });
      });
      var lo = Math.pow(10, Math.floor(Math.log10(isFinite(min) ? Math.max(min, 0.01) : 1)));
      top = Math.max(lo * 100, Math.pow(10, Math.ceil(Math.log10(max > 0 ? max : 1))));
      var decades = Math.log10(top / lo);
      y = function (v) {
        return MT + ph * (1 - Math.log10(Math.max(v, lo) / lo) / decades);
      };
      for (var d = lo; d <= top * 1.001; d *= 10) ticks.push(d);
    } else {
      var step = niceStep(max > 0 ? max / 4 : 0.25);
      top = Math.max(step * 4, step * Math.ceil(max / step));
      y = function (v) { return MT + ph * (1 - v / top); };
      for (var v = 0; v <= top + step / 2; v += step) ticks.push(v);
    }
    function x(t) { return ML + pw * (t - t0) / span; }

    var out = ['<title>' + esc(chart.spec.title) + ' (' + esc(chart.spec.unit) + ')</title>'];
    ticks.forEach(function (v) {
      out.push('<line class="grid" x1="' + ML + '" x2="' + (W - MR) + '" y1="' + y(v) + '" y2="' + y(v) + '"/>'
        + '<text class="tick" x="' + (ML - 6) + '" y="' + (y(v) + 4) + '" text-anchor="end">'
        + esc(chart.spec.log ? fmtDecade(v) : fmt(v, chart.spec.unit, ticks[1])) + '</text>');
    });
    for (var i = 0; i <= 4; i++) {
      var t = t0 + span * i / 4;
      out.push('<text class="tick" x="' + x(t) + '" y="' + (H - MB + 16) + '" text-anchor="'
        + (i === 0 ? 'start' : i === 4 ? 'end' : 'middle') + '">' + clock(t) + '</text>');
    }
    out.push('<text class="axis" x="' + (ML + pw / 2) + '" y="' + (H - 4) + '" text-anchor="middle">time (local)</text>');
    out.push('<text class="axis" transform="rotate(-90)" x="' + -(MT + ph / 2) + '" y="13" text-anchor="middle">'
      + esc(chart.spec.unit + (chart.spec.log ? ' (log scale)' : '')) + '</text>');
    out.push('<line class="frame" x1="' + ML + '" x2="' + ML + '" y1="' + MT + '" y2="' + (MT + ph) + '"/>'
      + '<line class="frame" x1="' + ML + '" x2="' + (W - MR) + '" y1="' + (MT + ph) + '" y2="' + (MT + ph) + '"/>');
    var legend = [];
    var any = false;
    chart.series.forEach(function (s) {
      var d = '';
      var pen = false;
      var last = null;
      s.points.forEach(function (p) {
        if (!isFinite(p[1]) || p[0] < t0) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(Math.min(p[1], top)).toFixed(1);
        pen = true;
        last = p;
      });
      if (d) {
        any = true;
        out.push('<path d="' + d + '" stroke="' + s.colour + '"' + (s.dash ? ' stroke-dasharray="' + s.dash + '"' : '') + '/>');
        out.push('<circle cx="' + x(last[0]).toFixed(1) + '" cy="' + y(Math.min(last[1], top)).toFixed(1)
          + '" r="2.5" fill="' + s.colour + '"/>');
      }
      var latest = s.points.length ? s.points[s.points.length - 1][1] : NaN;
      legend.push('<li data-series="' + esc(s.label) + '" data-value="' + (isFinite(latest) ? latest : '') + '">'
        + '<svg class="swatch" viewBox="0 0 18 6" aria-hidden="true"><line x1="0" x2="18" y1="3" y2="3" stroke="'
        + s.colour + '"' + (s.dash ? ' stroke-dasharray="' + s.dash + '"' : '') + '/></svg>'
        + '<span class="name">' + esc(s.label) + '</span> <span class="value">'
        + esc(!isFinite(latest) ? '–' : chart.spec.unit === 'ms' ? fmtMs(latest)
          : fmt(latest, chart.spec.unit) + ' ' + chart.spec.unit) + '</span></li>');
    });
    if (!any) {
      out.push('<text class="empty" x="' + (ML + pw / 2) + '" y="' + (MT + ph / 2) + '" text-anchor="middle">'
        + (polls === 0 && chart.spec.compute.length > 1 ? 'waiting for a second poll' : 'no data yet') + '</text>');
    }
    chart.svg.innerHTML = out.join('');
    chart.legend.innerHTML = legend.join('');
  }

  function renderRouteTable(snap, base) {
    var tbody = document.querySelector('[data-section="http-server"] tbody');
    if (!base) {
      tbody.innerHTML = '<tr><td colspan="6">waiting for a second poll</td></tr>';
      return;
    }
    var rows = new Map();
    function put(list, field) {
      list.forEach(function (p) {
        var r = rows.get(p.label) || {};
        r[field] = p.value;
        rows.set(p.label, r);
      });
    }
    put(rateBy(HTTP + '_count', ['http_route'])(snap, base), 'rate');
    put(ratioBy(HTTP + '_count', ['http_route'], serverError, any, 100)(snap, base), 'errors');
    put(quantileBy(HTTP, ['http_route'], 0.5)(snap, base), 'p50');
    put(quantileBy(HTTP, ['http_route'], 0.95)(snap, base), 'p95');
    put(quantileBy(HTTP, ['http_route'], 0.99)(snap, base), 'p99');
    var html = '';
    Array.from(rows.keys()).sort().forEach(function (route) {
      var r = rows.get(route);
      html += '<tr data-route="' + esc(route) + '" data-rate="' + (r.rate || 0) + '"><th scope="row">'
        + esc(route) + '</th><td>' + fmt(r.rate, 'req/s') + '</td><td>' + fmtPct(r.errors) + '</td><td>'
        + fmtMs(r.p50) + '</td><td>' + fmtMs(r.p95) + '</td><td>' + fmtMs(r.p99) + '</td></tr>';
    });
    tbody.innerHTML = html;
  }

  // ---- formatting --------------------------------------------------------------------------

  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
  }
  function fmt(v, unit, step) {
    if (!isFinite(v)) return '–';
    var a = Math.abs(step || v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k';
    if (a >= 100 || (step && a >= 1 && Number.isInteger(v))) return v.toFixed(0);
    if (a >= 10) return v.toFixed(1);
    if (a >= 0.1 || a === 0) return v.toFixed(2);
    return v.toPrecision(2);
  }
  function fmtPct(v) { return isFinite(v) ? fmt(v, '%') + ' %' : '–'; }
  function fmtMs(v) {
    if (!isFinite(v)) return '–';
    return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : fmt(v, 'ms') + ' ms';
  }
  function fmtDecade(v) {
    return v >= 1000 ? v / 1000 + 'k' : v >= 1 ? String(v) : v.toPrecision(1);
  }
  function clock(t) {
    var d = new Date(t * 1000);
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map(function (n) {
      return n < 10 ? '0' + n : '' + n;
    }).join(':');
  }

  document.addEventListener('DOMContentLoaded', poll);
})();
