// The page types of the dashboard and of remote check-in from a phone, one
// URL each, signed in as the person who sees it: what the Lighthouse budgets
// (budgets.mjs) and the HTML checker (htmlcheck.mjs) load.

import { demoCast, KioskScreen, Phone, k_demoStaffPassword } from './testserver.mjs';

// One URL per page type, signed in as the person who sees it.
export async function pageTypes(server, codeTool) {
  const cast = await demoCast(server);
  const teacher = await server.signIn(cast.teacher.email, k_demoStaffPassword);
  const ta = await server.signIn(cast.tas[0].email, k_demoStaffPassword);
  // Demo trainees have no password (they check in with badges and phones);
  // this one signs in to see the dashboard as a trainee does.
  const created = await server.api('POST', '/api/v1/people', {
    as: cast.admin,
    body: { display_name: 'Lighthouse Trainee', email: 'trainee@lighthouse.test', password: 'lighthouse-trainee' },
  });
  await server.api('PUT', `/api/v1/courses/${cast.course.id}/members/${created.json.person.public_id}`,
                   { as: cast.admin, body: { role: 'student' } });
  const trainee = await server.signIn('trainee@lighthouse.test', 'lighthouse-trainee');

  // A phone linked to a trainee of the first two courses, checked in to
  // today's class of the second: it sees the one-tap page in the first
  // course's class and "already checked in" in the second's.
  const screen = new KioskScreen(codeTool, await server.demoKiosk());
  const courses = (await server.api('GET', '/api/v1/courses', { as: cast.admin })).json.courses;
  const other = courses.find((c) => c.id !== cast.course.id);
  const otherWindow = (await server.api('GET', `/api/v1/courses/${other.id}/windows`, { as: cast.admin }))
    .json.windows.find((w) => w.opened_at && !w.closed_at);
  const phoneOwner = (await server.api('POST', '/api/v1/people', {
    as: cast.admin, body: { display_name: 'Lighthouse Phone', email: 'phone@lighthouse.test' },
  })).json.person.public_id;
  for (const course of [cast.course.id, other.id])
    await server.api('PUT', `/api/v1/courses/${course}/members/${phoneOwner}`, { as: cast.admin, body: { role: 'student' } });
  const phone = new Phone(server);
  await phone.checkIn(screen.codeAt(otherWindow.id), await server.linkCode(cast.admin, other.id, phoneOwner));
  // The trainee's own phone, linked for the first course, for "My phones".
  const traineePhone = new Phone(server);
  await traineePhone.checkIn(screen.codeAt(cast.openWindow.id),
                             await server.linkCode(cast.admin, cast.course.id, trainee.person.public_id));

  // An invitation for a person without a password: the page its link opens
  // (opening it does not use it up).
  const invited = (await server.api('POST', '/api/v1/people', {
    as: cast.admin, body: { display_name: 'Lighthouse Invitee', email: 'invitee@lighthouse.test' },
  })).json.person.public_id;
  const invitation = (await server.api('POST', `/api/v1/people/${invited}/password-link`, {
    as: cast.admin, body: { purpose: 'invitation' },
  })).json.link;

  // A teacher with an API key of their own; the admin sees everyone's.
  await server.api('POST', '/api/v1/api-keys', { as: teacher, body: { scope: 'read', name: 'Lighthouse export' } });

  const u = (p) => server.url + p;
  // The code on the screen right now, or a minute ago.
  const q = (window, ageMs = 0) => () => u(`/q/${screen.codeAt(window.id, Date.now() - ageMs)}`);
  return [
    { name: 'sign-in', url: u('/login') },
    { name: 'home (teacher)', url: u('/'), cookie: teacher.cookie },
    { name: 'home (TA)', url: u('/'), cookie: ta.cookie },
    { name: 'home (trainee)', url: u('/'), cookie: trainee.cookie },
    { name: 'home (admin)', url: u('/'), cookie: cast.admin.cookie },
    { name: 'course (teacher)', url: u(`/courses/${cast.course.id}`), cookie: teacher.cookie },
    { name: 'course (trainee)', url: u(`/courses/${cast.course.id}`), cookie: trainee.cookie },
    // The course's people on a page of their own, and what adding someone answers.
    { name: 'roster (teacher)', url: u(`/courses/${cast.course.id}/roster`), cookie: teacher.cookie },
    { name: 'roster: add a student, with an error (teacher)', url: u(`/courses/${cast.course.id}/roster`),
      cookie: teacher.cookie, submit: 'form[action$="/members"] button', errorStatus: 422 },
    // Nothing destructive in one click: each asks on a page of its own.
    { name: 'close a window? (teacher)', url: u(`/windows/${cast.openWindow.id}/close`), cookie: teacher.cookie },
    { name: 'remove a student? (teacher)', url: u(`/courses/${cast.course.id}/members/${cast.students[0].public_id}/remove`),
      cookie: teacher.cookie },
    { name: 'remove a course? (teacher)', url: u(`/courses/${cast.course.id}/remove`), cookie: teacher.cookie },
    { name: 'cancel my badge QR?', url: u('/me/badge/revoke'), cookie: trainee.cookie },
    // The trainee tracker page: figures, register, names and regions form, import form.
    { name: 'trainee tracker (teacher)', url: u(`/courses/${cast.course.id}/tracker`), cookie: teacher.cookie },
    // A past window: every participant has a record, some with flags and corrections.
    { name: 'window (teacher)', url: u(`/windows/${cast.closedWindow.id}`), cookie: teacher.cookie },
    { name: 'record in a window (teacher)', url: u(`/windows/${cast.closedWindow.id}/people/${cast.students[0].public_id}`),
      cookie: teacher.cookie },
    // Reports: a course's with its charts, alerts and tables; one trainee's
    // record with every class and every change; the overview across courses.
    { name: 'course report (teacher)', url: u(`/courses/${cast.course.id}/report`), cookie: teacher.cookie },
    { name: 'a trainee\'s record (teacher)', url: u(`/courses/${cast.course.id}/people/${cast.students[0].public_id}`),
      cookie: teacher.cookie },
    { name: 'reports: overview (admin)', url: u('/reports'), cookie: cast.admin.cookie },
    // A TA has eight weeks of their own records in the demo school.
    { name: 'my attendance', url: u('/me'), cookie: ta.cookie },
    // Milestones (docs/MILESTONES.md): the demo school's, with weeks of history.
    { name: 'my milestones', url: u('/me/milestones'), cookie: trainee.cookie },
    { name: 'a trainee\'s milestones (teacher)', url: u(`/people/${cast.students[0].public_id}/milestones`),
      cookie: teacher.cookie },
    { name: 'course milestones (teacher)', url: u(`/courses/${cast.course.id}/milestones`), cookie: teacher.cookie },
    { name: 'add a course', url: u('/courses/new'), cookie: teacher.cookie },
    { name: 'my API keys', url: u('/account/api-keys'), cookie: teacher.cookie },
    { name: 'API keys (admin)', url: u('/account/api-keys'), cookie: cast.admin.cookie },
    // Org admins: the longest list (everyone in the school), the kiosk list
    // with its provisioning form, and one person's page.
    { name: 'admin: people', url: u('/admin/people'), cookie: cast.admin.cookie },
    { name: 'admin: kiosks', url: u('/admin/kiosks'), cookie: cast.admin.cookie },
    { name: 'admin: a person', url: u(`/admin/people/${cast.teacher.public_id}`), cookie: cast.admin.cookie },
    { name: 'admin: overview', url: u('/admin'), cookie: cast.admin.cookie },
    { name: 'admin: courses', url: u('/admin/courses'), cookie: cast.admin.cookie },
    { name: 'admin: remove a course?', url: u(`/admin/courses/${cast.course.id}/remove`), cookie: cast.admin.cookie },
    { name: 'admin: new person', url: u('/admin/people/new'), cookie: cast.admin.cookie },
    { name: 'admin: revoke a kiosk?', url: u(`/admin/kiosks/${screen.kiosk.id}/revoke`), cookie: cast.admin.cookie },
    // What links a person to a check-in device: the badge QR page, the
    // printable badge a trainee makes there, and the phone link code a
    // teacher gets from the roster (both answers to a form post).
    { name: 'my badge QR', url: u('/me/badge'), cookie: trainee.cookie },
    { name: 'my badge QR, printable', url: u('/me/badge'), cookie: trainee.cookie,
      submit: 'form[action="/me/badge"] button' },
    { name: 'phone link code (teacher)', url: u(`/courses/${cast.course.id}/roster`), cookie: teacher.cookie,
      submit: `button[formaction="/courses/${cast.course.id}/members/${cast.students[0].public_id}/link-code"]` },
    // Remote check-in from a phone (/q/<code>): codes are computed right
    // before each run. Too many requests (429) and a code that is not one
    // (400) get the same page as an expired code, with other words.
    { name: 'phone: link form (new phone)', url: q(cast.openWindow) },
    { name: 'phone: check in (linked phone)', url: q(cast.openWindow), cookie: phone.cookie },
    { name: 'phone: already checked in', url: q(otherWindow), cookie: phone.cookie },
    { name: 'phone: expired code', url: q(cast.openWindow, 60_000), cookie: phone.cookie, errorStatus: 410 },
    { name: 'my phones', url: u('/me/phones'), cookie: trainee.cookie },
    { name: 'my kiosk PIN', url: u('/me/pin'), cookie: teacher.cookie },
    { name: 'my kiosk PIN, new', url: u('/me/pin'), cookie: teacher.cookie, submit: 'form[action="/me/pin"] button' },
    { name: 'page not found', url: u('/courses/no-such-course'), cookie: teacher.cookie, errorStatus: 404 },
    { name: 'page not found (no such path)', url: u('/no/such/page'), cookie: teacher.cookie, errorStatus: 404 },
    // Getting into an account: "Forgot your password?" (the demo sends no
    // mail, so it says whom to ask), the page a link opens, a used link,
    // "My account", and the links a teacher gets to pass on.
    { name: 'forgot your password?', url: u('/password-reset') },
    { name: 'choose a password (invitation)', url: invitation },
    { name: 'password link used or expired', url: u('/password/no-such-link-0123456789abcdef'), errorStatus: 410 },
    { name: 'my account', url: u('/account'), cookie: teacher.cookie },
    { name: 'invitations to pass on (teacher)', url: u(`/courses/${cast.course.id}/roster`), cookie: teacher.cookie,
      submit: `form[action="/courses/${cast.course.id}/invitations"] button` },
  ];
}
