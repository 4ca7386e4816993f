/** junit.xml: one test case per check (and one per target that failed to run), for CI test reporters. */
import type { CheckResult, RunResult } from '../core/result-types.js'

// characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/FFFF)
const invalidXml = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text safe in XML element content. */
export function escapeXmlText (text: string): string {
  return String(text).replace(invalidXml, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Text safe in a double-quoted XML attribute, line breaks kept as character references. */
export function escapeXmlAttribute (text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}

function details (check: CheckResult): string {
  return `${check.message}\nobserved: ${check.observed} ${check.unit}\nlimit: ${check.limit} ${check.unit}`
}

function checkCase (check: CheckResult): string {
  const attributes = `classname="${escapeXmlAttribute(`cutover.${check.target ?? 'run'}`)}" name="${escapeXmlAttribute(check.id)}" time="0"`
  const out = `    <system-out>${escapeXmlText(`${check.status.toUpperCase()}: ${details(check)}`)}</system-out>\n`
  switch (check.status) {
    case 'fail':
      return `  <testcase ${attributes}>\n    <failure message="${escapeXmlAttribute(check.message)}" type="${escapeXmlAttribute(check.id)}">${escapeXmlText(details(check))}</failure>\n${out}  </testcase>`
    case 'inconclusive':
      return `  <testcase ${attributes}>\n    <skipped message="${escapeXmlAttribute(`inconclusive: ${check.message}`)}"/>\n${out}  </testcase>`
    default:
      return `  <testcase ${attributes}>\n${out}  </testcase>`
  }
}

/** The JUnit XML of a (redacted) result. */
export function renderJunit (result: RunResult): string {
  const checks = result.checks ?? []
  const failures = result.failures ?? []
  const failed = checks.filter((check) => check.status === 'fail').length
  const skipped = checks.filter((check) => check.status === 'inconclusive').length
  const seconds = Math.max(0, (Date.parse(result.endedAt) - Date.parse(result.startedAt)) / 1000) || 0
  const tests = checks.length + failures.length
  const counts = `tests="${tests}" failures="${failed}" errors="${failures.length}" skipped="${skipped}" time="${seconds.toFixed(3)}"`
  const cases = [
    ...checks.map(checkCase),
    ...failures.map((failure) => `  <testcase classname="${escapeXmlAttribute(`cutover.${failure.target}`)}" name="${escapeXmlAttribute(`target.${failure.code}`)}" time="0">\n    <error message="${escapeXmlAttribute(failure.message)}" type="${escapeXmlAttribute(failure.code)}">${escapeXmlText(`${failure.message}${failure.hint === undefined ? '' : `\n${failure.hint}`}`)}</error>\n  </testcase>`)
  ]
  const properties = [['verdict', result.verdict], ['status', result.status], ['schedule', result.schedule], ['cutover', result.tool?.version ?? '']]
    .map(([name, value]) => `    <property name="${escapeXmlAttribute(name ?? '')}" value="${escapeXmlAttribute(value ?? '')}"/>`).join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="cutover" ${counts}>
<testsuite name="${escapeXmlAttribute(`cutover.${result.scenario?.name ?? 'run'}`)}" ${counts} timestamp="${escapeXmlAttribute(result.startedAt ?? '')}">
  <properties>
${properties}
  </properties>
${cases.join('\n')}
</testsuite>
</testsuites>
`
}
