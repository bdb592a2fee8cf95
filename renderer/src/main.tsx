import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { ApiCallError, createApiClient } from './api/client';
import { pickTransport } from './api/transport';
import { App } from './App';
import './styles.css';

const client = createApiClient(pickTransport());
// An answer from the console is final; a call lost on the way (the connection dropped) is tried again.
const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: (failures, err) => failures < 2 && !(err instanceof ApiCallError) } },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ApiProvider>
  </StrictMode>,
);
