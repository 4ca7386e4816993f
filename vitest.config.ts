import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // timing-sensitive suites share two cores with the servers they drive: keep files sequential
    fileParallelism: false,
    pool: 'forks'
  }
})
