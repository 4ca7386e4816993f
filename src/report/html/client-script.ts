/** The script of report.html: the DOM half and the chart half in one function scope, strict mode. */
import { clientChartsSource } from './client-charts.js'
import { clientDomSource } from './client-dom.js'

/** The page script, ready to inline (its hash goes into the page's Content-Security-Policy). */
export const clientScript = `(function () {\n  'use strict';\n${clientDomSource}\n${clientChartsSource}})();\n`
