import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

// The CI recipes of issue 8, as a user copies them: valid YAML that runs cutover on each pull or merge request,
// publishes summary.md, keeps the run directory even when the job fails, and lets cutover's exit code fail the job.
const recipe = (name: string): Record<string, any> => parse(readFileSync(fileURLToPath(new URL(`../examples/ci/${name}`, import.meta.url)), 'utf8')) as Record<string, any>

describe('CI recipes', () => {
  it('GitHub Actions: on pull_request, summary.md to the job summary, the run directory uploaded always', () => {
    const workflow = recipe('github-actions.yml')
    expect(workflow.on).toBe('pull_request')
    const steps = Object.values(workflow.jobs as Record<string, { steps: Array<Record<string, any>> }>)[0]?.steps ?? []
    const run = steps.find((step) => typeof step.run === 'string' && step.run.includes('npx cutover run'))
    // no `|| true` and no continue-on-error: exit code 1 fails the job
    expect(run?.run).not.toContain('||')
    expect(run?.['continue-on-error']).toBeUndefined()
    const summary = steps.find((step) => typeof step.run === 'string' && step.run.includes('$GITHUB_STEP_SUMMARY'))
    expect(summary?.if).toBe('always()')
    expect(summary?.run).toContain('reports/ci/summary.md')
    const upload = steps.find((step) => typeof step.uses === 'string' && step.uses.startsWith('actions/upload-artifact'))
    expect(upload?.if).toBe('always()')
    expect(upload?.with?.path).toBe('reports/ci')
  })

  it('GitLab CI: on merge requests, the run directory and junit.xml kept always', () => {
    const job = recipe('gitlab-ci.yml').cutover as Record<string, any>
    expect(job.rules[0].if).toContain('merge_request_event')
    expect(job.script.some((line: string) => line.startsWith('npx cutover run') && !line.includes('||'))).toBe(true)
    expect(job.after_script.join('\n')).toContain('reports/ci/summary.md')
    expect(job.artifacts.when).toBe('always')
    expect(job.artifacts.paths).toEqual(['reports/ci'])
    expect(job.artifacts.reports.junit).toBe('reports/ci/junit.xml')
  })
})
