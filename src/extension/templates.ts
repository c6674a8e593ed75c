/** New Experiment templates: the repository's examples, bundled, so the picker and examples/ never drift. */
import seed from '../../examples/linear-regression-l2.hone.json';
import digitsMlp from '../../examples/digits-mlp.hone.json';
import digitsCnn from '../../examples/digits-cnn.hone.json';
import digitsSweep from '../../examples/digits-sweep.hone.json';
import mnist from '../../examples/mnist-lenet.hone.json';

export interface Template {
  label: string;
  detail: string;
  spec: Record<string, unknown>;
}

export const TEMPLATES: Template[] = [
  { label: 'Linear regression with L2 (the seed example)', detail: 'Generated data, Adam, L2 penalty', spec: seed },
  { label: 'MLP on digits', detail: 'The bundled 8x8 UCI digits, 2 hidden layers', spec: digitsMlp },
  { label: 'CNN on digits', detail: 'LeNet-5 style, early stopping', spec: digitsCnn },
  { label: 'Sweep: MLP on digits', detail: 'A sweep section: TPE over lr, optimizer, width and L2, ASHA stopping; run it with Start Sweep', spec: digitsSweep },
  { label: 'LeNet-5 on MNIST', detail: 'Needs the four MNIST IDX files; set data.path', spec: mnist },
];

/** The seed example, as `Hone: Run the Seed Example` writes it into the workspace. */
export const SEED_TEMPLATE = TEMPLATES[0];

/** The sweep template (`Hone: Start Sweep` offers it when no spec has a sweep section). */
export const SWEEP_TEMPLATE = TEMPLATES[3];
