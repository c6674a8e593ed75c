/** The dashboard's views, in tab order. A new view is one file in this folder plus one line here. */
import { compareView } from './compare';
import { curvesView } from './curves';
import { detailView } from './detail';
import { runsView } from './runs';
import { sweepView } from './sweep';
import { tradeoffView } from './tradeoff';
import type { View } from './types';

export const VIEWS: View[] = [
  runsView,
  curvesView,
  compareView,
  detailView,
  sweepView,
  tradeoffView,
];
