/** The registry of reporters, in the order they run: a new output is one file under reporters/ and one line here. */
import type { Reporter } from './reporter.js'
import { htmlReporter } from './reporters/html.js'
import { junitReporter } from './reporters/junit.js'
import { markdownReporter } from './reporters/markdown.js'
import { pngReporter } from './reporters/png.js'

/** Every reporter; the PNG charts come first so that the page and summary.md can link them. */
export const reporters: readonly Reporter[] = [pngReporter, htmlReporter, markdownReporter, junitReporter]
