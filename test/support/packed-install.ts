import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** What a command printed (stdout and stderr interleaved, as a user sees it) and how it ended. */
export interface CommandRun {
  code: number | null
  output: string
}

/** Runs `command args…` in `cwd`; resolves when it exits, or with code null once `timeoutMs` has passed. */
export function runCommand (command: string, args: string[], options: { cwd: string, env?: NodeJS.ProcessEnv, timeoutMs: number }): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      output += `\n[killed after ${options.timeoutMs} ms]`
    }, options.timeoutMs)
    child.once('error', (error) => { clearTimeout(timer); reject(error) })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

/**
 * Packs this project as `npm publish` would (its `prepare` builds dist/) and returns the tarball's path.
 * The build runs in a copy under `dir`, so packing never rewrites this checkout's dist/ under a run that uses it.
 */
export async function packProject (dir: string): Promise<string> {
  const source = join(dir, 'source')
  const out = join(dir, 'packed')
  mkdirSync(out, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { files: string[] }
  const buildInputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src']
  for (const entry of [...buildInputs, ...manifest.files.filter((entry) => entry !== 'dist')]) {
    cpSync(join(repoRoot, entry), join(source, entry), { recursive: true })
  }
  // the checkout's dev dependencies (typescript, the types) build the copy
  symlinkSync(join(repoRoot, 'node_modules'), join(source, 'node_modules'), 'dir')
  const pack = await runCommand('npm', ['pack', '--pack-destination', out], { cwd: source, timeoutMs: 180_000 })
  const tarballs = readdirSync(out).filter((name) => name.endsWith('.tgz'))
  if (pack.code !== 0 || tarballs.length !== 1) throw new Error(`npm pack failed (exit ${String(pack.code)}):\n${pack.output}`)
  return join(out, tarballs[0] ?? '')
}
