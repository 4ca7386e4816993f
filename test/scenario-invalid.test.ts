import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CutoverError } from '../src/core/errors.js'
import { loadScenario } from '../src/scenario/load.js'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/invalid/${name}`, import.meta.url))

// file, error code, line, column, field path, message (the first problem reported)
const cases: Array<[string, string, number, number, string, string]> = [
  ["capacity-one-hold.yaml", "SCENARIO_INVALID", 5, 27, "capacity.ceilingHolds", "one hold gives no interval: 0 (off) or 2 to 10"],
  ["bad-duration.yaml", "SCENARIO_INVALID", 6, 15, "phases[0].duration", "expected a duration such as 500ms, 30s, 2m or 1h, got \"ten seconds\""],
  ["bad-method.yaml", "SCENARIO_INVALID", 4, 36, "requests[0].method", "expected one of \"GET\", \"HEAD\", \"OPTIONS\", \"POST\", \"PUT\", \"PATCH\", \"DELETE\", got \"FETCH\""],
  ["bad-slo-key.yaml", "SCENARIO_INVALID", 6, 22, "checks.slo.erorRate", "unknown key \"erorRate\"; did you mean \"errorRate\"?"],
  ["bad-target-url.yaml", "TEMPLATE", 2, 24, "targets.old.url", "expected an http:// or https:// URL, got \"ftp://127.0.0.1:3001\""],
  ["bad-tolerance.yaml", "SCENARIO_INVALID", 6, 19, "checks.compare.p99", "expected a tolerance such as +10%, -5% or +0.1pp, got 10"],
  ["body-and-json.yaml", "SCENARIO_INVALID", 4, 5, "requests[0]", "a request has `body` or `json`, not both"],
  ["duplicate-request.yaml", "SCENARIO_INVALID", 5, 13, "requests[1].name", "request name \"home\" is used twice"],
  ["leak-wrong-key.yaml", "SCENARIO_INVALID", 6, 22, "checks.leak.maxGrowth", "expected `auto` or a growth rate such as 5MB/min: got \"fast\""],
  ["missing-data-file.yaml", "DATA_FILE", 4, 18, "data.users.file", "data file \"users-that-do-not-exist.csv\" not found (looked at users-that-do-not-exist.csv)"],
  ["missing-cwd.yaml", "SCENARIO_INVALID", 3, 82, "targets.old.start.cwd", "start.cwd \"services/old\" is not a folder (looked at services/old); a relative path is taken from the scenario's folder"],
  ["missing-url.yaml", "SCENARIO_INVALID", 4, 5, "targets.old.url", "missing required field \"url\""],
  ["monitor-typo.yaml", "SCENARIO_INVALID", 5, 16, "targets.old.monitor.pdi", "unknown key \"pdi\"; did you mean \"pid\"?"],
  ["no-model.yaml", "SCENARIO_INVALID", 5, 5, "phases[0]", "a phase needs `rate` (open model, arrivals per second) or `connections` (closed model)"],
  ["no-phases.json", "SCENARIO_INVALID", 5, 13, "phases", "needs at least 1 item"],
  ["not-a-mapping.yaml", "SCENARIO_INVALID", 1, 1, "", "expected a mapping with name, targets, requests and phases"],
  ["path-without-slash.yaml", "SCENARIO_INVALID", 4, 25, "requests[0].path", "expected a path starting with /, got \"products\""],
  ["proto-data-column.yaml", "DATA_FILE", 4, 18, "data.users.file", "data file \"proto-column.csv\" has a column named \"__proto__\", which JavaScript objects cannot hold safely; rename it"],
  ["proto-data-json.yaml", "DATA_FILE", 4, 18, "data.users.file", "data file \"proto-rows.json\" has a column named \"__proto__\", which JavaScript objects cannot hold safely; rename it"],
  ["proto-json-body.yaml", "SCENARIO_SYNTAX", 4, 57, "requests[0].json.__proto__", "the key \"__proto__\" is not allowed: JavaScript would drop it silently; rename it"],
  ["proto-target.yaml", "SCENARIO_SYNTAX", 3, 3, "targets.__proto__", "the key \"__proto__\" is not allowed: JavaScript would drop it silently; rename it"],
  ["rate-and-connections.yaml", "SCENARIO_INVALID", 5, 5, "phases[0]", "a phase has either `rate` (open model) or `connections` (closed model), not both"],
  ["rollout-memory-gate.yaml", "SCENARIO_INVALID", 7, 55, "proxy.rollout.gates.memoryGrowth", "expected auto, off or a growth rate such as 5MB/min: got \"lots\""],
  ["rollout-steps-down.yaml", "SCENARIO_INVALID", 7, 18, "proxy.rollout.steps[1]", "steps must increase"],
  ["sampling-too-fast.yaml", "SCENARIO_INVALID", 5, 23, "sampling.interval", "the sampling interval must be between 100ms and 1m"],
  ["typo-in-request.yaml", "SCENARIO_INVALID", 7, 5, "requests[0].wieght", "unknown key \"wieght\"; did you mean \"weight\"?"],
  ["unclosed-template.yaml", "TEMPLATE", 5, 21, "requests[0].path", "template \"{{\" without a closing \"}}\""],
  ["unknown-data-source.yaml", "TEMPLATE", 5, 21, "requests[0].path", "template unknown name \"prodcts.id\": there is no data source \"prodcts\" (declare data files under `data:`)"],
  ["unknown-journey-request.yaml", "SCENARIO_INVALID", 7, 18, "journeys[0].steps[0].request", "unknown request \"homepage\"; known: \"home\""],
  ["unknown-template-function.yaml", "TEMPLATE", 5, 21, "requests[0].path", "template unknown function \"randInt\"; did you mean \"randomInt\"?"],
  ["unknown-top-key.yaml", "SCENARIO_INVALID", 5, 1, "phase", "unknown key \"phase\"; did you mean \"phases\"?"],
  ["wrong-type.json", "SCENARIO_INVALID", 4, 57, "requests[0].weight", "expected a number, got \"heavy\""],
  ["yaml-syntax.yaml", "SCENARIO_SYNTAX", 3, 1, "", "Flow map in block collection must be sufficiently indented and end with a }"],
]

describe('invalid scenarios name file, line, column and field', () => {
  it('has at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15)
  })

  it.each(cases)('%s', (name, code, line, column, field, message) => {
    let caught: unknown
    try {
      loadScenario(fixture(name))
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(CutoverError)
    const error = caught as CutoverError
    expect(error.code).toBe(code)
    const first = error.issues[0]
    expect(first?.location.file).toBe(fixture(name))
    expect(first?.location.line, 'line').toBe(line)
    expect(first?.location.column, 'column').toBe(column)
    expect(first?.location.field ?? '', 'field').toBe(field)
    expect(first?.message.replace(fixture(''), '')).toBe(message)
  })

  it('reports every problem of a file, not only the first', () => {
    const many = fixture('many-problems.yaml')
    let issues: CutoverError['issues'] = []
    try { loadScenario(many) } catch (error) { issues = (error as CutoverError).issues }
    expect(issues.map((issue) => issue.location.field)).toEqual(['requests[0].methd', 'phases[0].duration', 'checks.slo.p99'])
  })

  it('refuses a missing file with a clear message', () => {
    expect(() => loadScenario('no/such/scenario.yaml')).toThrow(/scenario file not found: no\/such\/scenario.yaml/)
  })
})
