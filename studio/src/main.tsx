import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { App } from './App.js';
import { I18nProvider } from './i18n/index.js';
import { queryClient } from './query.js';
import { studioRouter } from './router.js';
import './styles.css';
import './phone.css';

const router = studioRouter(<App />);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <RouterProvider router={router} />
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
