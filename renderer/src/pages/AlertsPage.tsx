import { useState } from 'react';
import { ActiveAlerts } from '../alerts/ActiveAlerts';
import { AlertHistory } from '../alerts/AlertHistory';
import { RulesSection } from '../alerts/RulesSection';
import { SilencesPanel } from '../alerts/SilencesPanel';
import { Tabs } from '../components/Tabs';
import '../alerts/alerts.css';

const TABS = [
  { id: 'now', title: 'Now' },
  { id: 'history', title: 'History' },
  { id: 'silences', title: 'Silences' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** The rules and active alerts now, what fired over a range, and the silences: a tab each. */
export function AlertsPage() {
  const [tab, setTab] = useState<Tab>('now');
  // Kept here: the tabs mount only the panel shown, and the range picked should outlive a look elsewhere.
  const [historyRange, setHistoryRange] = useState(24 * 3600);
  return (
    <section aria-labelledby="alerts-title" className="stack-sections alerts-page">
      <div className="toolbar">
        <h1 id="alerts-title">Alerts</h1>
      </div>
      <Tabs label="Alerts" tabs={TABS} selected={tab} onSelect={(id) => setTab(id as Tab)} idPrefix="alerts">
        {tab === 'now' ? (
          <>
            <RulesSection />
            <ActiveAlerts />
          </>
        ) : tab === 'history' ? (
          <AlertHistory rangeSeconds={historyRange} onRange={setHistoryRange} />
        ) : (
          <SilencesPanel />
        )}
      </Tabs>
    </section>
  );
}
