/**
 * The layering of src/, written once: data flows scenario → plan → load + sampling → analysis → report, and a folder
 * may import only folders in layers below its own (never a sibling in its own layer, never one above).
 * `npm test` runs `npm run lint:deps`, which fails on any import against this order and on any import circle.
 * Bottom first:
 */
const layers = [
  ['core'], // shared types, errors with stable codes, units, redaction, the seedable random generator
  ['sampling'], // CPU and memory samplers and the `monitor` sources they register (their settings' schemas too)
  ['scenario'], // load, validate and compile scenario files; the JSON Schema
  ['plan'], // pure: phases → arrival plans, schedules, capacity steps
  ['metrics'], // HDR histograms, counters, per-interval recorder, result.json figures of a target
  ['rundir'], // the run directory's format: timeline lines, run.json, result.json, rebuild after a crash
  ['targets', 'load'], // services cutover starts and stops; load drivers (open, closed model, journeys, smoke)
  ['analysis'], // pure: SLO checks, leak verdicts, old vs new, baseline comparison, the verdict
  ['baseline', 'shadow'], // baseline files (load, save, list); shadow traffic (selection, normalisation, diffs)
  ['report', 'proxy'], // reporters: html, png, markdown, junit; the live proxy: forwarding, mirroring, its control API
  ['run'], // a run from start to result.json: sessions, schedules, capacity search, smoke, shadow, rebuild
  ['cli'] // commander program, one file per command; the only code that reads argv or exits
]

const folderPath = (folders) => `^src/(${folders.join('|')})/`

const layering = layers.flatMap((layer, index) => {
  const above = layers.slice(index + 1).flat()
  return layer.map((folder) => {
    const forbidden = [...above, ...layer.filter((other) => other !== folder)]
    return {
      name: `layer-${folder}`,
      comment: `src/${folder}/ may import only ${layers.slice(0, index).flat().join(', ') || 'nothing else in src'} (see the layers in .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: `^src/${folder}/` },
      to: { path: folderPath(forbidden) }
    }
  }).filter((rule) => rule.to.path !== '^src/()/')
})

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'modules import one way: an import circle means two modules are one concept, or a type sits in the wrong place',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true }
    },
    {
      name: 'src-stays-in-src',
      comment: 'shipped code never imports tests or benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' }
    },
    {
      name: 'known-folders',
      comment: 'every folder of src/ has a place in the layers above',
      severity: 'error',
      from: { path: '^src/', pathNot: `${folderPath(layers.flat())}|^src/[^/]+$` },
      to: {}
    },
    ...layering
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] }
  }
}
