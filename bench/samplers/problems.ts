// Standard closed-form minimisation problems for the sampler benchmark (definitions and optima as in
// Surjanovic & Bingham's Virtual Library of Simulation Experiments, sfu.ca/~ssurjano). Branin and the
// Hartmann functions are shared with the sampler tests.
import { BRANIN_MIN, HARTMANN3_MIN, HARTMANN6_MIN, branin, hartmann3, hartmann6 } from '../../test/helpers/closed-form';

export interface Problem {
  name: string;
  /** Bounds of each coordinate x0, x1, ... (all floats, linear scale). */
  bounds: [number, number][];
  f: (x: number[]) => number;
  /** The global minimum: regret is the best value found minus this. */
  min: number;
}

const cube = (d: number, lo: number, hi: number): [number, number][] => Array.from({ length: d }, () => [lo, hi]);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const camel = ([x, y]: number[]): number => (4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;

const rosenbrock = (x: number[]): number =>
  sum(x.slice(0, -1).map((xi, i) => 100 * (x[i + 1] - xi * xi) ** 2 + (xi - 1) ** 2));

const ackley = (x: number[]): number =>
  -20 * Math.exp(-0.2 * Math.sqrt(sum(x.map((v) => v * v)) / x.length)) -
  Math.exp(sum(x.map((v) => Math.cos(2 * Math.PI * v))) / x.length) + 20 + Math.E;

const styblinskiTang = (x: number[]): number => 0.5 * sum(x.map((v) => v ** 4 - 16 * v * v + 5 * v));
/** Its minimiser in each coordinate. */
const ST_X = -2.903534;

function levy(x: number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const last = w[w.length - 1];
  return Math.sin(Math.PI * w[0]) ** 2 +
    sum(w.slice(0, -1).map((wi) => (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2))) +
    (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
}

/** Eight problems, 2 to 10 dimensions, in order of dimension. */
export const PROBLEMS: Problem[] = [
  { name: 'Branin (2-D)', bounds: [[-5, 10], [0, 15]], f: ([a, b]) => branin(a, b), min: BRANIN_MIN },
  { name: 'Six-hump camel (2-D)', bounds: [[-3, 3], [-2, 2]], f: camel, min: -1.0316284535 },
  { name: 'Hartmann-3 (3-D)', bounds: cube(3, 0, 1), f: hartmann3, min: HARTMANN3_MIN },
  { name: 'Rosenbrock (4-D)', bounds: cube(4, -5, 10), f: rosenbrock, min: 0 },
  { name: 'Ackley (5-D)', bounds: cube(5, -32.768, 32.768), f: ackley, min: 0 },
  { name: 'Hartmann-6 (6-D)', bounds: cube(6, 0, 1), f: hartmann6, min: HARTMANN6_MIN },
  { name: 'Styblinski-Tang (8-D)', bounds: cube(8, -5, 5), f: styblinskiTang, min: styblinskiTang(new Array<number>(8).fill(ST_X)) },
  { name: 'Levy (10-D)', bounds: cube(10, -10, 10), f: levy, min: 0 },
];
