import { SignIn } from './auth/sign-in.tsx';
import { DispatcherBoard } from './board/dispatcher-board.tsx';
import { FinanceView } from './finance/finance-view.tsx';
import { MyOrders } from './tracking/my-orders.tsx';
import { TrackingPage } from './tracking/tracking-page.tsx';
import { Link, usePath } from './ui/router.tsx';
import { useGraph, useSession } from './ui/use-session.ts';

/** The screen a role starts on. */
const homeOf = (roles: readonly string[]) => (roles.includes('DISPATCHER') ? '/board' : roles.includes('FINANCE') ? '/finance' : '/orders');

function Screen({ path, roles }: { path: string; roles: readonly string[] }) {
  const track = /^\/track\/([^/]+)$/.exec(path);
  if (track) return <TrackingPage orderId={decodeURIComponent(track[1]!)} />;
  switch (path === '/' ? homeOf(roles) : path) {
    case '/board':
      return <DispatcherBoard />;
    case '/finance':
      return <FinanceView />;
    case '/orders':
      return <MyOrders />;
    default:
      return <p role="alert">Nothing at {path}.</p>;
  }
}

export function App() {
  const session = useSession();
  const { session: store } = useGraph();
  const path = usePath();
  if (!session) return <SignIn />;
  return (
    <>
      <header>
        <nav aria-label="Screens">
          <Link to="/board">Board</Link> <Link to="/orders">Orders</Link> <Link to="/finance">Finance</Link>
        </nav>
        <p>
          Signed in as <span data-testid="user">{session.user.name}</span> ({session.user.organization.name}){' '}
          <button type="button" onClick={() => void store.signOut()}>
            Sign out
          </button>
        </p>
      </header>
      <Screen path={path} roles={session.user.roles} />
    </>
  );
}
