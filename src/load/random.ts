/** The request mix's random numbers: the shared seedable generator. */
export { seededRandom } from '../core/random.js'
