// The route table, read in one place. access: 'public' pages work signed out; others need a
// session, and `roles` limits who may open them. `nav` marks the navigation item that is current.

const STAFF_ADMIN = ['provider_admin', 'platform_admin'];

function route(name, pattern, options) {
  const source = `^${pattern.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`;
  return { name, pattern, regex: new RegExp(source), ...options };
}

const auth = () => import('./pages/auth.js');
const pub = () => import('./pages/public.js');
const participant = () => import('./pages/participant.js');
const selfrehab = () => import('./pages/selfrehab.js');
const guide = () => import('./pages/guide.js');
const admin = () => import('./pages/admin.js');
const settings = () => import('./pages/settings.js');
const program = () => import('./pages/program.js');
const programs = () => import('./pages/programs.js');
const guideParticipant = () => import('./pages/guideParticipant.js');
const chat = () => import('./pages/chat.js');
const meetings = () => import('./pages/meetings.js');
const overview = () => import('./pages/overview.js');

export const routes = [
  route('signin', '/kirjaudu', { access: 'public', nav: 'signin', signedOutOnly: true, load: async () => (await auth()).signInPage }),
  route('link', '/linkki', { access: 'public', load: async () => (await auth()).linkPage }),
  route('password', '/salasana', { access: 'public', load: async () => (await auth()).passwordPage }),
  route('help', '/apua', { access: 'public', nav: 'help', load: async () => (await pub()).helpPage }),
  route('statement-fi', '/saavutettavuusseloste', { access: 'public', load: async () => (await pub()).statementPage }),
  route('statement-sv', '/tillganglighetsutlatande', { access: 'public', load: async () => (await pub()).statementPage }),
  route('settings', '/asetukset', { access: 'signed-in', load: async () => (await settings()).settingsPage }),
  route('today', '/tanaan', { roles: ['participant'], nav: 'today', load: async () => (await participant()).todayPage }),
  route('program', '/ohjelma', { roles: ['participant'], nav: 'program', load: async () => (await program()).programPage }),
  route('program-module', '/ohjelma/:n', { roles: ['participant'], nav: 'program', load: async () => (await program()).modulePage }),
  route('selfrehab', '/omakuntoutus', { roles: ['participant'], nav: 'selfrehab', load: async () => (await selfrehab()).selfRehabPage }),
  route('group', '/ryhma', { roles: ['participant'], nav: 'group', load: async () => (await participant()).myCoursePage }),
  route('my-course', '/kurssini', { roles: ['participant'], nav: 'group', load: async () => (await participant()).myCoursePage }),
  route('group-chat', '/ryhma/keskustelu', { roles: ['participant'], nav: 'group', load: async () => (await chat()).groupChatPage }),
  route('private-chat', '/ryhma/viestit', { roles: ['participant'], nav: 'group', load: async () => (await chat()).privateChatPage }),
  route('meetings', '/ryhma/tapaamiset', { roles: ['participant'], nav: 'group', load: async () => (await meetings()).meetingsPage }),
  route('guide-courses', '/ohjaus', { roles: ['guide'], nav: 'courses', load: async () => (await guide()).guideCoursesPage }),
  route('guide-course', '/ohjaus/kurssi/:id', { roles: ['guide'], nav: 'courses', load: async () => (await guide()).guideCoursePage }),
  route('guide-program-module', '/ohjaus/kurssi/:id/ohjelma/:n', { roles: ['guide'], nav: 'courses', load: async () => (await program()).staffModulePage }),
  route('guide-chat', '/ohjaus/kurssi/:id/keskustelu', { roles: ['guide'], nav: 'courses', load: async () => (await chat()).guideChatPage }),
  route('guide-participant', '/ohjaus/kurssi/:id/osallistuja/:pid', { roles: ['guide'], nav: 'courses', load: async () => (await guideParticipant()).participantPage }),
  route('admin-courses', '/hallinta', { roles: STAFF_ADMIN, nav: 'courses', load: async () => (await admin()).adminCoursesPage }),
  route('admin-course', '/hallinta/kurssi/:id', { roles: STAFF_ADMIN, nav: 'courses', load: async () => (await admin()).adminCoursePage }),
  route('admin-program-module', '/hallinta/kurssi/:id/ohjelma/:n', { roles: STAFF_ADMIN, nav: 'courses', load: async () => (await program()).staffModulePage }),
  route('admin-participant', '/hallinta/kurssi/:id/osallistuja/:pid', { roles: STAFF_ADMIN, nav: 'courses', load: async () => (await guideParticipant()).participantPage }),
  route('admin-overview', '/hallinta/yhteenveto', { roles: STAFF_ADMIN, nav: 'overview', load: async () => (await overview()).overviewPage }),
  route('admin-programs', '/hallinta/ohjelmat', { roles: STAFF_ADMIN, nav: 'programs', load: async () => (await programs()).programsPage }),
  route('admin-staff', '/hallinta/henkilosto', { roles: STAFF_ADMIN, nav: 'staff', load: async () => (await admin()).staffPage }),
  route('admin-participants', '/hallinta/osallistujat', { roles: STAFF_ADMIN, nav: 'participants', load: async () => (await admin()).participantsPage }),
  route('admin-sites', '/hallinta/toimipisteet', { roles: STAFF_ADMIN, nav: 'sites', load: async () => (await admin()).sitesPage }),
];

export function homeFor(me) {
  if (!me) return '/kirjaudu';
  switch (me.role) {
    case 'participant': return '/tanaan';
    case 'guide': return '/ohjaus';
    case 'provider_admin':
    case 'platform_admin': return '/hallinta';
    default: return '/apua';
  }
}

/**
 * The top navigation per role. Help is always the last item, so it is in the same place on every
 * page (A12, WCAG 3.2.6). Participants have at most 5 items (A11): "Ryhmä" holds the course's
 * information, the group discussion and the messages with the team.
 */
export function navFor(me) {
  const help = { key: 'help', href: '/apua', label: 'nav.help' };
  if (!me) return [{ key: 'signin', href: '/kirjaudu', label: 'nav.signin' }, help];
  switch (me.role) {
    case 'participant':
      return [
        { key: 'today', href: '/tanaan', label: 'nav.today' },
        { key: 'program', href: '/ohjelma', label: 'nav.program' },
        { key: 'selfrehab', href: '/omakuntoutus', label: 'nav.selfrehab' },
        { key: 'group', href: '/ryhma', label: 'nav.group' },
        help,
      ];
    case 'guide':
      return [{ key: 'courses', href: '/ohjaus', label: 'nav.courses' }, help];
    case 'provider_admin':
    case 'platform_admin':
      return [
        { key: 'courses', href: '/hallinta', label: 'nav.courses' },
        { key: 'overview', href: '/hallinta/yhteenveto', label: 'overview.nav' },
        { key: 'programs', href: '/hallinta/ohjelmat', label: 'nav.programs' },
        { key: 'staff', href: '/hallinta/henkilosto', label: 'nav.staff' },
        { key: 'participants', href: '/hallinta/osallistujat', label: 'nav.participants' },
        { key: 'sites', href: '/hallinta/toimipisteet', label: 'nav.sites' },
        help,
      ];
    default:
      return [help];
  }
}
