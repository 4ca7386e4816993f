import { describe, expect, it } from 'vitest'
import { parseMetricSelector, selectValue } from '../src/sampling/prometheus-select.js'
import { parsePrometheusText } from '../src/sampling/prometheus-text.js'

// Cases follow the text format 0.0.4 description (prometheus.io/docs/instrumenting/exposition_formats).
const tricky = [
  '# A plain comment, ignored',
  '#no space after the hash, also a comment',
  '# HELP http_requests_total The total number of HTTP requests.\\nSecond line, with a \\\\ backslash.',
  '# TYPE http_requests_total counter',
  'http_requests_total{method="post",code="200"} 1027 1395066363000',
  'http_requests_total{method="post",code="400"}    3 1395066363000',
  '',
  '# Escaping in label values:',
  'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
  '',
  '# Minimalistic line:',
  'metric_without_timestamp_and_labels 12.47',
  '',
  '# A weird metric from before the epoch:',
  'something_weird{problem="division by zero"} +Inf -3982045',
  'negative_infinity -Inf',
  'not_a_number NaN',
  '',
  '# TYPE http_request_duration_seconds histogram',
  'http_request_duration_seconds_bucket{le="0.05"} 24054',
  'http_request_duration_seconds_bucket{le="+Inf"} 144320',
  'http_request_duration_seconds_sum 53423',
  '\ttab_separated\t{a="1",}\t7\r',
  '{"my.dotted.metric", "some.label"="x"} 5',
  'with_exemplar_total{a="b"} 3 # {trace_id="abc"} 1 1700000000',
  'label_value_with_braces{q="a}b,c=d"} 2',
  'bad_value 12abc',
  'bad{unclosed="x} 1',
  '# TYPE foo nonsense'
].join('\n')

describe('Prometheus text parser', () => {
  const parsed = parsePrometheusText(tricky)

  it('reads every well-formed sample with exact names, labels, values and timestamps', () => {
    expect(parsed.series).toEqual([
      { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 },
      { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3, timestampMs: 1395066363000 },
      { name: 'msdos_file_access_time_seconds', labels: { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' }, value: 1458255915 },
      { name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47 },
      { name: 'something_weird', labels: { problem: 'division by zero' }, value: Infinity, timestampMs: -3982045 },
      { name: 'negative_infinity', labels: {}, value: -Infinity },
      { name: 'not_a_number', labels: {}, value: NaN },
      { name: 'http_request_duration_seconds_bucket', labels: { le: '0.05' }, value: 24054 },
      { name: 'http_request_duration_seconds_bucket', labels: { le: '+Inf' }, value: 144320 },
      { name: 'http_request_duration_seconds_sum', labels: {}, value: 53423 },
      { name: 'tab_separated', labels: { a: '1' }, value: 7 },
      { name: 'my.dotted.metric', labels: { 'some.label': 'x' }, value: 5 },
      { name: 'with_exemplar_total', labels: { a: 'b' }, value: 3 },
      { name: 'label_value_with_braces', labels: { q: 'a}b,c=d' }, value: 2 }
    ])
  })

  it('reads HELP (unescaped) and TYPE lines', () => {
    expect(parsed.help.get('http_requests_total')).toBe('The total number of HTTP requests.\nSecond line, with a \\ backslash.')
    expect(Object.fromEntries(parsed.types)).toEqual({ http_requests_total: 'counter', http_request_duration_seconds: 'histogram' })
  })

  it('reports broken lines with their line numbers and keeps going', () => {
    expect(parsed.problems.map((problem) => problem.line)).toEqual([27, 28, 29])
    expect(parsed.problems[0]?.message).toContain('"12abc" is not a number')
    expect(parsed.problems[1]?.message).toContain('not closed')
    expect(parsed.problems[2]?.message).toContain('nonsense')
  })

  it('is empty for empty text', () => {
    expect(parsePrometheusText('')).toEqual({ series: [], help: new Map(), types: new Map(), problems: [] })
  })

  it('keeps a label called __proto__ as an ordinary label', () => {
    const { series } = parsePrometheusText('m{__proto__="x"} 1')
    expect(series[0]?.labels.__proto__).toBe('x')
    expect(Object.keys(series[0]?.labels ?? {})).toEqual(['__proto__'])
  })
})

describe('metric selection', () => {
  const { series } = parsePrometheusText([
    'requests_total{code="200"} 90',
    'requests_total{code="500"} 10',
    'heap_bytes{space="old"} 300',
    'heap_bytes{space="new"} 100',
    'heap_bytes 1000',
    'ratio NaN'
  ].join('\n'))

  it('sums labelled series when there is no unlabelled one', () => {
    expect(selectValue(series, { name: 'requests_total', labels: {} })).toBe(100)
  })

  it('takes the unlabelled series when there is one', () => {
    expect(selectValue(series, { name: 'heap_bytes', labels: {} })).toBe(1000)
  })

  it('filters by the selector\'s labels', () => {
    const selector = parseMetricSelector('requests_total{code="500"}')
    expect(selector).toEqual({ name: 'requests_total', labels: { code: '500' } })
    expect(selectValue(series, selector ?? { name: '', labels: {} })).toBe(10)
  })

  it('is undefined for a metric that is not there, and NaN stays NaN', () => {
    expect(selectValue(series, { name: 'absent', labels: {} })).toBeUndefined()
    expect(selectValue(series, { name: 'ratio', labels: {} })).toBeNaN()
  })

  it('refuses a selector that is not a metric name', () => {
    expect(parseMetricSelector('not a name')).toBeUndefined()
    expect(parseMetricSelector('x{y=}')).toBeUndefined()
  })
})
