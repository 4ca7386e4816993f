/**
 * The thread that writes a live proxy's refreshed reports (see report-thread.ts). It first lowers its own priority
 * (nice 19; on Linux a thread's niceness is its own, the callers' thread keeps its), and only then loads the
 * renderer, the largest part of its work: when the proxy has one core, the scheduler gives that core to callers
 * first and the refresh takes what is left.
 */
import { lowerThisThreadsPriority } from '../core/thread-priority.js'

lowerThisThreadsPriority()
await import('./report-render.js')
