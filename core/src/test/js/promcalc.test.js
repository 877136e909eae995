// Unit tests for the dashboard's arithmetic; run by PromCalcJsTest as `node promcalc.test.js
// <path to promcalc.js>`. Expected values are worked by hand from PromQL's histogram_quantile
// definition; PromCalcJsTest also checks the same cases against promtool's PromQL engine.
'use strict';
const assert = require('assert');
const C = require(process.argv[2]);

function close(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) < 1e-9, what + ': expected ' + expected + ', got ' + actual);
}
function buckets(pairs) {
  return pairs.map(([le, count]) => ({ le: le === '+Inf' ? Infinity : le, count }));
}

let n = 0;
function test(name, fn) { fn(); n++; }

test('median interpolates inside the bucket holding the rank', () => {
  const b = buckets([[0.1, 10], [0.5, 30], [1, 40], ['+Inf', 40]]);
  close(C.histogramQuantile(0.5, b), 0.3, 'p50');     // rank 20: 0.1 + 0.4 * 10/20
  close(C.histogramQuantile(0.99, b), 0.98, 'p99');   // rank 39.6: 0.5 + 0.5 * 9.6/10
  close(C.histogramQuantile(0.25, b), 0.1, 'p25');    // rank 10 = first bucket's top
  close(C.histogramQuantile(0.05, b), 0.02, 'p5');    // rank 2: first bucket starts at 0
});
test('a rank in the +Inf bucket answers the highest finite bound', () => {
  close(C.histogramQuantile(0.9, buckets([[0.1, 5], ['+Inf', 10]])), 0.1, 'p90');
});
test('no observations, no +Inf bucket, or a single bucket give NaN', () => {
  assert.ok(isNaN(C.histogramQuantile(0.5, buckets([[0.1, 0], ['+Inf', 0]]))));
  assert.ok(isNaN(C.histogramQuantile(0.5, buckets([[0.1, 3], [1, 5]]))));
  assert.ok(isNaN(C.histogramQuantile(0.5, buckets([['+Inf', 5]]))));
});
test('q outside [0, 1] is -Inf / +Inf as in PromQL', () => {
  const b = buckets([[1, 1], ['+Inf', 1]]);
  assert.strictEqual(C.histogramQuantile(-0.1, b), -Infinity);
  assert.strictEqual(C.histogramQuantile(1.1, b), Infinity);
});
test('buckets in any order; a non-monotonic count is lifted to its predecessor', () => {
  const b = buckets([['+Inf', 40], [1, 40], [0.1, 10], [0.5, 30]]);
  close(C.histogramQuantile(0.5, b), 0.3, 'unsorted');
  const racy = buckets([[0.1, 10], [0.5, 9], [1, 20], ['+Inf', 20]]);
  close(C.histogramQuantile(0.75, racy), 0.5 + 0.5 * 5 / 10, 'monotonic fix');
});
test('window quantile uses each bucket increase, and survives a counter reset', () => {
  const before = new Map([[0.1, 100], [0.5, 150], [1, 160], [Infinity, 160]]);
  const after = new Map([[0.1, 110], [0.5, 180], [1, 200], [Infinity, 200]]);
  // increases 10, 30, 40, 40: the first test's histogram
  close(C.windowQuantile(0.5, before, after), 0.3, 'window p50');
  const reset = new Map([[0.1, 10], [0.5, 30], [1, 40], [Infinity, 40]]);
  close(C.windowQuantile(0.5, before, reset), 0.3, 'after reset');
});
test('rate divides the increase by the elapsed time; a drop is a reset', () => {
  close(C.rate(100, 130, 10), 3, 'rate');
  close(C.rate(100, 20, 10), 2, 'reset');
  close(C.rate(undefined, 20, 10), 2, 'new series');
  assert.ok(isNaN(C.rate(1, 2, 0)));
});
test('the text format parses, with escapes, special values and sums by label', () => {
  const text = [
    '# HELP http_server_request_duration_seconds Duration',
    '# TYPE http_server_request_duration_seconds histogram',
    'http_server_request_duration_seconds_bucket{http_route="/orders/{id}",code="200",le="0.1"} 3',
    'http_server_request_duration_seconds_bucket{http_route="/orders/{id}",code="500",le="0.1"} 1',
    'http_server_request_duration_seconds_bucket{http_route="/orders/{id}",code="200",le="+Inf"} 5',
    'http_server_request_duration_seconds_bucket{http_route="/orders/{id}",code="500",le="+Inf"} 1',
    'http_server_request_duration_seconds_count{http_route="/orders/{id}",code="200"} 5 1700000000000',
    'weird{a="x\\"y\\\\z\\n",b=""} NaN',
    'up -Inf',
    ''].join('\n');
  const p = C.parse(text);
  assert.strictEqual(p.types.http_server_request_duration_seconds, 'histogram');
  assert.strictEqual(p.samples.length, 7);
  assert.strictEqual(p.samples[5].labels.a, 'x"y\\z\n');
  assert.ok(isNaN(p.samples[5].value));
  assert.strictEqual(p.samples[6].value, -Infinity);
  assert.strictEqual(p.samples[4].value, 5);
  const byRoute = C.bucketsBy(p.samples, 'http_server_request_duration_seconds', ['http_route']);
  const b = byRoute.get('/orders/{id}').buckets;
  assert.strictEqual(b.get(0.1), 4);
  assert.strictEqual(b.get(Infinity), 6);
  const sums = C.sumBy(p.samples, 'http_server_request_duration_seconds_bucket', ['le']);
  assert.strictEqual(sums.get('+Inf').value, 6);
});

// With --promtool-test: prints a `promtool test rules` file whose expected values are this
// code's answers, so promtool (Prometheus's own PromQL engine) fails if the two disagree.
if (process.argv[3] === '--promtool-test') {
  const before = [[0.005, 1], [0.01, 2], [0.025, 10], [0.05, 20], [0.1, 21], [0.25, 21], ['+Inf', 22]];
  const after = [[0.005, 3], [0.01, 9], [0.025, 30], [0.05, 41], [0.1, 60], [0.25, 61], ['+Inf', 64]];
  const out = ['rule_files: []', 'evaluation_interval: 1m', 'tests:', '  - interval: 1m',
    '    input_series:'];
  before.forEach(([le], i) => {
    out.push("      - series: 'x_bucket{le=\"" + le + "\"}'", "        values: '" + before[i][1] + ' '
      + after[i][1] + "'");
  });
  out.push('    promql_expr_test:');
  const a = new Map(buckets(after).map((x) => [x.le, x.count]));
  const b = new Map(buckets(before).map((x) => [x.le, x.count]));
  for (const q of [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999]) {
    for (const [expr, value] of [
      ['histogram_quantile(' + q + ', x_bucket)', C.histogramQuantile(q, buckets(after))],
      ['histogram_quantile(' + q + ', x_bucket - x_bucket offset 1m)', C.windowQuantile(q, b, a)]]) {
      out.push('      - expr: ' + expr, '        eval_time: 1m', '        exp_samples:',
        "          - labels: '{}'", '            value: ' + value);
    }
  }
  console.log(out.join('\n'));
} else {
  console.log('promcalc: ' + n + ' tests passed');
}
