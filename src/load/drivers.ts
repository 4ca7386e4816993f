/** The load drivers, one per phase kind: a new load model is one file and one line here. */
import type { PlannedPhase } from '../plan/phases.js'
import { ClosedModelDriver } from './closed-model.js'
import type { LoadDriver } from './driver.js'
import { OpenModelDriver } from './open-model.js'

/** One driver of each phase kind, for one target. */
export type PhaseDrivers = Record<PlannedPhase['kind'], LoadDriver>

/** How each kind of phase is driven: the open model (arrivals per second) and the closed model (fixed concurrency). */
export const driverFactories: { readonly [Kind in PlannedPhase['kind']]: () => LoadDriver } = {
  open: () => new OpenModelDriver(),
  closed: () => new ClosedModelDriver()
}

/** A fresh driver of every kind. */
export function createDrivers (): PhaseDrivers {
  const entries = Object.entries(driverFactories).map(([kind, create]) => [kind, create()])
  return Object.fromEntries(entries) as PhaseDrivers
}

/** Waits up to `graceMs` for every driver's outstanding requests, then cuts them off. */
export async function closeDrivers (drivers: PhaseDrivers, graceMs: number): Promise<void> {
  await Promise.all(Object.values(drivers).map((driver) => driver.close(graceMs)))
}
