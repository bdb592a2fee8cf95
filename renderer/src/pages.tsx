import type { ComponentType } from 'react';
import { AlertsPage } from './pages/AlertsPage';
import { ExplorerPage } from './pages/ExplorerPage';
import { LoadTestsPage } from './pages/LoadTestsPage';
import { LogsPage } from './pages/LogsPage';
import { MetricsPage } from './pages/MetricsPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { OverviewPage } from './pages/OverviewPage';
import { PredictionsPage } from './pages/PredictionsPage';
import { RigsPage } from './pages/RigsPage';
import { SettingsPage } from './pages/SettingsPage';

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
  { id: 'predictions', title: 'Predictions', Component: PredictionsPage },
  { id: 'loadtests', title: 'Load tests', Component: LoadTestsPage },
  { id: 'logs', title: 'Logs', Component: LogsPage },
  { id: 'notifications', title: 'Notifications', Component: NotificationsPage },
  { id: 'settings', title: 'Settings', Component: SettingsPage },
  { id: 'rigs', title: 'Rigs', Component: RigsPage },
];
