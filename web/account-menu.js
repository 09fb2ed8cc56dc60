// The header's account corner on the home page. A guest (or nobody) sees Sign in; an account sees
// its picture (or initial) and name, which open a menu: Profile (profile-dialog.js), Your Rooms,
// Friends, Recordings (the rooms dialog at that tab), Active Sessions, Log out and Log out everywhere. Active Sessions lists where the
// account is signed in (device, address, when last seen), each with Log out; the server closes a
// revoked device's open call at once.
import { icon } from './call-ui-icons.js';
import { el } from './dom.js';
import { avatarOf, mountProfileDialog } from './profile-dialog.js';
import { currentSession, isAccount, logOut } from './session.js';
import { api, toast, wireDialog } from './site.js';

const $ = (id) => document.getElementById(id);

const ago = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
function lastSeen(ms) {
  const minutes = Math.round((Date.now() - ms) / 60_000);
  if (minutes < 2) return 'active now';
  if (minutes < 60) return `last active ${ago.format(-minutes, 'minute')}`;
  if (minutes < 48 * 60) return `last active ${ago.format(-Math.round(minutes / 60), 'hour')}`;
  return `last active ${ago.format(-Math.round(minutes / 1440), 'day')}`;
}

// openRooms(tab): the rooms dialog at a tab. openAuth(): the Sign in dialog. confirm(title, text,
// okLabel) → Promise<boolean>.
export function mountAccountMenu({ openRooms, openAuth, confirm }) {
  const button = $('account-button');
  const menu = $('account-menu');
  const sessionsDialog = wireDialog($('sessions-dialog'));
  const profile = mountProfileDialog();
  const items = () => [...menu.querySelectorAll('[role="menuitem"]')];

  function render() {
    const session = currentSession();
    const account = isAccount(session);
    $('account').hidden = !account;
    $('sign-in-button').hidden = account;
    $('name-chip').hidden = account || !session;
    if (!account) return;
    $('account-avatar').replaceChildren(avatarOf(session));
    $('account-name').textContent = session.display_name;
    $('account-email').textContent = session.email;
    button.setAttribute('aria-label', `Account: ${session.display_name}`);
  }

  function setOpen(open) {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) items()[0].focus();
  }
  button.addEventListener('click', () => setOpen(menu.hidden));
  document.addEventListener('click', (event) => {
    if (!menu.hidden && !$('account').contains(event.target)) setOpen(false);
  });
  menu.addEventListener('keydown', (event) => {
    const list = items();
    const at = list.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      setOpen(false);
      button.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      list[(at + (event.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length].focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      list[event.key === 'Home' ? 0 : list.length - 1].focus();
    }
  });

  // Signed out here whatever the server answered (logOut forgets the session either way).
  const logOutAndReload = (options) => logOut(options).finally(() => location.reload());

  async function logOutEverywhere() {
    if (!(await confirm('Log out everywhere?', 'Every device signed in to your account is logged out, this one too, and their calls end.', 'Log out everywhere'))) return;
    await logOutAndReload({ everywhere: true });
  }

  async function showSessions() {
    const list = $('session-list');
    let sessions;
    try {
      ({ sessions } = await api('GET', '/api/auth/sessions'));
    } catch (problem) {
      toast(problem.message, { tone: 'error' });
      return;
    }
    list.replaceChildren(...sessions.map((s) => {
      const end = el('button', { type: 'button', className: 'btn btn-small btn-danger-ghost' }, s.current ? 'Log out' : 'Log out device');
      end.setAttribute('aria-label', s.current ? 'Log out of this device' : `Log out ${s.device}`);
      end.addEventListener('click', async () => {
        if (s.current) return logOutAndReload();
        try {
          await api('DELETE', `/api/auth/sessions/${encodeURIComponent(s.session_id)}`);
          toast(`${s.device} is logged out`);
        } catch (problem) {
          toast(problem.message, { tone: 'error' });
        }
        showSessions();
      });
      return el('li', { className: 'session-item' },
        icon('laptop'),
        el('div', { className: 'session-text' },
          el('strong', {}, s.device, s.current ? el('span', { className: 'badge badge-accent' }, 'This device') : null),
          el('span', {}, `${s.address} · ${lastSeen(s.last_seen_at)}`)),
        end);
    }));
    if (!sessionsDialog.open) sessionsDialog.showModal();
  }
  $('sessions-logout-all').addEventListener('click', logOutEverywhere);

  menu.addEventListener('click', async (event) => {
    const item = event.target.closest('[data-open]');
    if (!item) return;
    setOpen(false);
    const what = item.dataset.open;
    if (what === 'profile') return profile.open();
    if (what === 'sessions') return showSessions();
    if (what === 'logout') return logOutAndReload();
    if (what === 'logout-all') return logOutEverywhere();
    return openRooms(what);
  });
  $('sign-in-button').addEventListener('click', () => openAuth());

  render();
  window.addEventListener('mehfil:session', render);
  window.addEventListener('mehfil:signed-out', () => toast('You were logged out of this device.', { tone: 'error', timeout: 6000 }));
}
