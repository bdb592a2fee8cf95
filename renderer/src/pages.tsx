import type { ComponentType } from 'react';
import { AlertsPage } from './pages/AlertsPage';
import { ExplorerPage } from './pages/ExplorerPage';
import { LogsPage } from './pages/LogsPage';
import { MetricsPage } from './pages/MetricsPage';
import { OverviewPage } from './pages/OverviewPage';

export interface PageDef {
  /** Also the address: `#/<id>`. */
  id: string;
  title: string;
  Component: ComponentType;
}

/** Every page of the console, in navigation order: adding a page is one line here. */
export const PAGES: PageDef[] = [
  { id: 'overview', title: 'Overview', Component: OverviewPage },
  { id: 'metrics', title: 'Metrics', Component: MetricsPage },
  { id: 'explorer', title: 'Explorer', Component: ExplorerPage },
  { id: 'alerts', title: 'Alerts', Component: AlertsPage },
  { id: 'logs', title: 'Logs', Component: LogsPage },
];
