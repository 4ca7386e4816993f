import { describe, expect, it } from 'vitest'
import { CutoverError, type ScenarioIssue } from '../src/core/errors.js'
import { parseScenario } from '../src/scenario/load.js'

function issuesOf (text: string): ScenarioIssue[] {
  try {
    parseScenario(text, '/tmp/journeys.yaml')
  } catch (error) {
    if (error instanceof CutoverError) return error.issues
    throw error
  }
  throw new Error('the scenario was accepted')
}

const head = `name: j
targets: { a: { url: "http://127.0.0.1:1" } }
requests: [{ name: get-product, path: /p }]
phases: [{ name: p, duration: 1s, rate: 1 }]
journeys:
  - name: buy
    steps:
`

describe('journey validation', () => {
  it('accepts captures used by later steps', () => {
    const scenario = parseScenario(`${head}      - { request: get-product, capture: { id: $.id } }
      - { method: POST, path: "/orders/{{ id }}" }
`, '/tmp/journeys.yaml')
    expect(scenario.journeys).toHaveLength(1)
    expect(scenario.journeys[0]?.requestSteps.map((step) => step.name)).toEqual(['get-product', 'POST /orders/{{ id }}'])
  })

  it('names the line, column and field of a capture used before any step defines it', () => {
    const issues = issuesOf(`${head}      - { method: POST, path: "/orders/{{ id }}" }
      - { request: get-product, capture: { id: $.id } }
`)
    expect(issues).toHaveLength(1)
    // line 8, column 40: the "{{" of the template inside the quoted path (counted by hand)
    expect(issues[0]?.location).toEqual({ file: '/tmp/journeys.yaml', line: 8, column: 40, field: 'journeys[0].steps[0].path' })
    expect(issues[0]?.message).toBe('"id" is used here but no earlier step of journey "buy" captures it (step 2 captures it: move the capture before its use)')
  })

  it('rejects a capture that no step defines', () => {
    const issues = issuesOf(`${head}      - method: POST
        path: /orders
        json: { price: "{{ price }}" }
`)
    expect(issues[0]?.location).toEqual({ file: '/tmp/journeys.yaml', line: 10, column: 25, field: 'journeys[0].steps[0].json.price' })
    expect(issues[0]?.message).toBe('"price" is used here but no earlier step of journey "buy" captures it')
  })

  it('rejects an expectation on a path that is not JSONPath', () => {
    const issues = issuesOf(`${head}      - request: get-product
        expect: { "$.items[": 1 }
`)
    expect(issues).toHaveLength(1)
    expect(issues[0]?.location).toEqual({ file: '/tmp/journeys.yaml', line: 9, column: 19, field: 'journeys[0].steps[0].expect.$.items[' })
    expect(issues[0]?.message).toMatch(/^expectation "\$\.items\[" is not valid JSONPath: "\[" at character 8 has no closing "\]"$/)
  })

  it('rejects a capture on a path that is not JSONPath, and one of no known kind', () => {
    const issues = issuesOf(`${head}      - request: get-product
        capture: { id: "$.items..", other: "body:id" }
`)
    expect(issues.map((issue) => [issue.location.line, issue.location.column, issue.location.field])).toEqual([
      [9, 24, 'journeys[0].steps[0].capture.id'],
      [9, 44, 'journeys[0].steps[0].capture.other']
    ])
    expect(issues[0]?.message).toBe('capture "$.items.." is not valid JSONPath: expected a field name after "." at character 10')
    expect(issues[1]?.message).toBe('capture "body:id" must be a JSONPath ("$.id"), "header:Name" or "regex:pattern(with group)"')
  })

  it('rejects filter expressions, which would need eval', () => {
    const issues = issuesOf(`${head}      - request: get-product
        capture: { id: "$.items[?(@.price > 1)].id" }
`)
    expect(issues[0]?.message).toBe('capture "$.items[?(@.price > 1)].id" is not valid JSONPath: filter and script expressions are not supported in "[?(@.price > 1)]"')
  })

  it('rejects a bad JSONPath in a named request\'s expectation too', () => {
    const issues = issuesOf(`name: j
targets: { a: { url: "http://127.0.0.1:1" } }
requests:
  - name: r
    path: /p
    expect: { "$x": 1 }
phases: [{ name: p, duration: 1s, rate: 1 }]
`)
    expect(issues[0]?.location).toEqual({ file: '/tmp/journeys.yaml', line: 6, column: 15, field: 'requests[0].expect.$x' })
  })

  it('names the line of an unknown request in a step', () => {
    const issues = issuesOf(`${head}      - request: get-prodcut
`)
    expect(issues[0]?.location).toEqual({ file: '/tmp/journeys.yaml', line: 8, column: 18, field: 'journeys[0].steps[0].request' })
    expect(issues[0]?.message).toBe('unknown request "get-prodcut"; known: "get-product"')
  })
})
