import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { createGraph } from './graphql/client.ts';
import { GraphContext } from './ui/use-session.ts';
import './style.css';

const graph = createGraph();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <GraphContext.Provider value={graph}>
      <ApolloProvider client={graph.client}>
        <App />
      </ApolloProvider>
    </GraphContext.Provider>
  </StrictMode>,
);
