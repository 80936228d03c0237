import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { AuditPage } from './audit/AuditPage.js';
import { AuthProvider, useAuth } from './auth/AuthContext.js';
import { LoginPage } from './auth/LoginPage.js';
import { CommandsPage } from './commands/CommandsPage.js';
import { NotFound } from './common/NotFound.js';
import { FleetPage } from './fleet/FleetPage.js';
import { Layout } from './Layout.js';
import { StorePage } from './stores/StorePage.js';

/** Pages behind sign-in; without a session, the login page (which comes back here after). */
function RequireSession() {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <Layout>
      <Outlet />
    </Layout>
  );
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<RequireSession />}>
            <Route path="/" element={<FleetPage />} />
            <Route path="/stores/:storeId" element={<StorePage />} />
            <Route path="/stores/:storeId/:tab" element={<StorePage />} />
            <Route path="/commands" element={<CommandsPage />} />
            <Route path="/audit" element={<AuditPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
