// The dashboard's arithmetic, kept free of the DOM so Node can unit-test it
// (core/src/test/js/promcalc.test.js, run from PromCalcJsTest).
// Semantics follow Prometheus: histogramQuantile interpolates linearly inside the bucket that
// holds the rank, exactly as PromQL's histogram_quantile does for classic histograms.
(function (root) {
  'use strict';

  /** Parses the Prometheus text format (0.0.4) into {types: {family: type}, samples: [...]}. */
  function parse(text) {
    var samples = [];
    var types = {};
    var lines = text.split('\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (line.length === 0) continue;
      if (line.charCodeAt(0) === 35) { // '#'
        var m = /^# TYPE (\S+) (\S+)/.exec(line);
        if (m) types[m[1]] = m[2];
        continue;
      }
      var s = parseSample(line);
      if (s) samples.push(s);
    }
    return { types: types, samples: samples };
  }

  function parseSample(line) {
    var i = 0;
    var n = line.length;
    while (i < n && line[i] !== '{' && line[i] !== ' ') i++;
    var name = line.substring(0, i);
    var labels = {};
    if (line[i] === '{') {
      i++;
      while (i < n && line[i] !== '}') {
        var eq = line.indexOf('=', i);
        if (eq < 0) return null;
        var key = line.substring(i, eq).trim();
        i = eq + 2; // skip ="
        var value = '';
        while (i < n && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < n) {
            var c = line[i + 1];
            value += c === 'n' ? '\n' : c;
            i += 2;
          } else {
            value += line[i++];
          }
        }
        i++; // closing quote
        labels[key] = value;
        if (line[i] === ',') i++;
      }
      i++; // '}'
    }
    var rest = line.substring(i).trim().split(/\s+/);
    return { name: name, labels: labels, value: parseValue(rest[0]) };
  }

  function parseValue(text) {
    if (text === '+Inf' || text === 'Inf') return Infinity;
    if (text === '-Inf') return -Infinity;
    if (text === 'NaN') return NaN;
    return parseFloat(text);
  }

  /**
   * PromQL's histogram_quantile for one classic histogram.
   * @param q the quantile, 0..1
   * @param buckets [{le: number, count: number}] cumulative counts, any order, +Inf included
   * @return the interpolated value, NaN when there are no observations or no +Inf bucket
   */
  function histogramQuantile(q, buckets) {
    if (isNaN(q)) return NaN;
    if (q < 0) return -Infinity;
    if (q > 1) return Infinity;
    var b = buckets.slice().sort(function (x, y) { return x.le - y.le; });
    if (b.length < 2 || b[b.length - 1].le !== Infinity) return NaN;
    // Counts must not fall with le; a scrape racing an observation can break that, and
    // Prometheus repairs it the same way (each bucket at least its predecessor).
    var counts = [];
    var max = 0;
    for (var i = 0; i < b.length; i++) {
      max = Math.max(max, b[i].count);
      counts.push(max);
    }
    var observations = counts[counts.length - 1];
    if (!(observations > 0)) return NaN;
    var rank = q * observations;
    var k = 0;
    while (k < counts.length - 1 && counts[k] < rank) k++;
    if (k === b.length - 1) return b[b.length - 2].le;
    if (k === 0 && b[0].le <= 0) return b[0].le;
    var start = 0;
    var end = b[k].le;
    var inBucket = counts[k];
    if (k > 0) {
      start = b[k - 1].le;
      inBucket -= counts[k - 1];
      rank -= counts[k - 1];
    }
    return start + (end - start) * (rank / inBucket);
  }

  /** The increase of a counter between two readings; a drop means a reset (restart). */
  function increase(before, after) {
    if (before === undefined || isNaN(before)) return after;
    return after >= before ? after - before : after;
  }

  /** Per-second rate between two readings taken dtSeconds apart. */
  function rate(before, after, dtSeconds) {
    if (!(dtSeconds > 0)) return NaN;
    return increase(before, after) / dtSeconds;
  }

  /**
   * Sums samples of one metric name by the given labels (like PromQL's sum by).
   * @return Map keyed by the joined label values, each {labels, value}
   */
  function sumBy(samples, name, by, filter) {
    var out = new Map();
    for (var i = 0; i < samples.length; i++) {
      var s = samples[i];
      if (s.name !== name || (filter && !filter(s.labels))) continue;
      var key = by.map(function (l) { return s.labels[l] || ''; }).join('\u0000');
      var entry = out.get(key);
      if (!entry) {
        var labels = {};
        by.forEach(function (l) { labels[l] = s.labels[l] || ''; });
        entry = { labels: labels, value: 0 };
        out.set(key, entry);
      }
      entry.value += s.value;
    }
    return out;
  }

  /**
   * Cumulative bucket counts of a histogram summed by labels: Map key -> {labels, buckets:
   * Map le -> count}.
   */
  function bucketsBy(samples, family, by, filter) {
    var out = new Map();
    var name = family + '_bucket';
    for (var i = 0; i < samples.length; i++) {
      var s = samples[i];
      if (s.name !== name || (filter && !filter(s.labels))) continue;
      var key = by.map(function (l) { return s.labels[l] || ''; }).join('\u0000');
      var entry = out.get(key);
      if (!entry) {
        var labels = {};
        by.forEach(function (l) { labels[l] = s.labels[l] || ''; });
        entry = { labels: labels, buckets: new Map() };
        out.set(key, entry);
      }
      var le = parseValue(s.labels.le);
      entry.buckets.set(le, (entry.buckets.get(le) || 0) + s.value);
    }
    return out;
  }

  /**
   * The quantile of what was observed between two bucket readings (the increase of each
   * bucket), as histogram_quantile(q, increase(x_bucket[window])) would give.
   */
  function windowQuantile(q, beforeBuckets, afterBuckets) {
    var list = [];
    afterBuckets.forEach(function (count, le) {
      var prev = beforeBuckets ? beforeBuckets.get(le) : undefined;
      list.push({ le: le, count: increase(prev, count) });
    });
    return histogramQuantile(q, list);
  }

  var api = {
    parse: parse,
    parseValue: parseValue,
    histogramQuantile: histogramQuantile,
    increase: increase,
    rate: rate,
    sumBy: sumBy,
    bucketsBy: bucketsBy,
    windowQuantile: windowQuantile
  };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.PromCalc = api;
  }
})(this);
