/** New Experiment templates: the repository's examples, bundled, so the picker and examples/ never drift. */
import seed from '../../examples/linear-regression-l2.hone.json';
import digitsMlp from '../../examples/digits-mlp.hone.json';
import digitsCnn from '../../examples/digits-cnn.hone.json';
import mnist from '../../examples/mnist-lenet.hone.json';

export interface Template {
  label: string;
  detail: string;
  spec: Record<string, unknown>;
}

const withoutSchemaRef = ({ $schema: _ref, ...spec }: Record<string, unknown>) => spec;

export const TEMPLATES: Template[] = [
  { label: 'Linear regression with L2 (the seed example)', detail: 'Generated data, Adam, L2 penalty', spec: withoutSchemaRef(seed) },
  { label: 'MLP on digits', detail: 'The bundled 8x8 UCI digits, 2 hidden layers', spec: withoutSchemaRef(digitsMlp) },
  { label: 'CNN on digits', detail: 'LeNet-5 style, early stopping', spec: withoutSchemaRef(digitsCnn) },
  { label: 'LeNet-5 on MNIST', detail: 'Needs the four MNIST IDX files; set data.path', spec: withoutSchemaRef(mnist) },
];

/** The seed example, as `Hone: Run the Seed Example` writes it into the workspace. */
export const SEED_TEMPLATE = TEMPLATES[0];
