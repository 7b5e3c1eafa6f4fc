/** Texts of the team and account pages and of the phone-sized shell (issue 11), kept apart so the main catalogs change by one line. */
export const teamEn = {
  'nav.team': 'Team', 'nav.account': 'My account', 'nav.close': 'Close the menu',
  'chat.testNote': 'A test: bookings made here hold the time for 10 minutes and are cancelled when the chat closes.',
  'team.members': 'Members', 'team.email': 'Email', 'team.name': 'Name', 'team.role': 'Role', 'team.staff': 'Staff column',
  'team.staffHelp': 'A specialist linked to a staff column sees that column’s day and its clients only.', 'team.noStaff': 'not linked',
  'team.remove': 'Remove', 'team.removeConfirm': 'Remove {email} from the team? They lose access at once; an invitation brings them back.',
  'team.you': 'you', 'team.invite': 'Invite a member', 'team.invite.submit': 'Send the invitation', 'team.invite.link': 'Invitation for {email}: pass this link on (it works once, until {until}).',
  'team.invite.copy': 'Copy the link', 'team.invite.copied': 'Copied.', 'team.pending': 'Invitations not yet accepted', 'team.pending.none': 'No open invitations.',
  'team.pending.expires': 'until {until}', 'team.pending.expired': 'expired', 'team.withdraw': 'Withdraw',
  'account.title': 'My account', 'account.password': 'Change the password', 'account.current': 'Current password', 'account.new': 'New password',
  'account.repeat': 'Repeat the new password', 'account.mismatch': 'The two new passwords differ.', 'account.change': 'Change the password',
  'account.changed': 'The password is changed; your other sessions ({count}) are signed out.',
  'account.sessions': 'Sessions', 'account.sessionsHelp': 'Lost a phone or used a shared computer? End every session, this one included.', 'account.logoutAll': 'Sign out everywhere',
};
type TeamMessages = Record<keyof typeof teamEn, string>;
export const teamRu: TeamMessages = {
  'nav.team': 'Команда', 'nav.account': 'Мой профиль', 'nav.close': 'Закрыть меню',
  'chat.testNote': 'Это проверка: записи отсюда держат время 10 минут и отменяются, когда чат закрывается.',
  'team.members': 'Сотрудники', 'team.email': 'Эл. почта', 'team.name': 'Имя', 'team.role': 'Роль', 'team.staff': 'Колонка в журнале',
  'team.staffHelp': 'Специалист, связанный с колонкой журнала, видит только её день и её клиентов.', 'team.noStaff': 'не связан',
  'team.remove': 'Удалить', 'team.removeConfirm': 'Удалить {email} из команды? Доступ пропадёт сразу; вернуть можно приглашением.',
  'team.you': 'вы', 'team.invite': 'Пригласить сотрудника', 'team.invite.submit': 'Отправить приглашение', 'team.invite.link': 'Приглашение для {email}: передайте эту ссылку (она действует один раз, до {until}).',
  'team.invite.copy': 'Скопировать ссылку', 'team.invite.copied': 'Скопировано.', 'team.pending': 'Непринятые приглашения', 'team.pending.none': 'Открытых приглашений нет.',
  'team.pending.expires': 'до {until}', 'team.pending.expired': 'истекло', 'team.withdraw': 'Отозвать',
  'account.title': 'Мой профиль', 'account.password': 'Смена пароля', 'account.current': 'Текущий пароль', 'account.new': 'Новый пароль',
  'account.repeat': 'Новый пароль ещё раз', 'account.mismatch': 'Новые пароли не совпадают.', 'account.change': 'Сменить пароль',
  'account.changed': 'Пароль изменён; другие ваши сеансы ({count}) завершены.',
  'account.sessions': 'Сеансы', 'account.sessionsHelp': 'Потеряли телефон или входили с чужого компьютера? Завершите все сеансы, включая этот.', 'account.logoutAll': 'Выйти на всех устройствах',
};
export const teamUk: TeamMessages = {
  'nav.team': 'Команда', 'nav.account': 'Мій профіль', 'nav.close': 'Закрити меню',
  'chat.testNote': 'Це перевірка: записи звідси тримають час 10 хвилин і скасовуються, коли чат закривається.',
  'team.members': 'Співробітники', 'team.email': 'Ел. пошта', 'team.name': 'Ім’я', 'team.role': 'Роль', 'team.staff': 'Колонка в журналі',
  'team.staffHelp': 'Спеціаліст, пов’язаний з колонкою журналу, бачить лише її день і її клієнтів.', 'team.noStaff': 'не пов’язаний',
  'team.remove': 'Видалити', 'team.removeConfirm': 'Видалити {email} з команди? Доступ зникне одразу; повернути можна запрошенням.',
  'team.you': 'ви', 'team.invite': 'Запросити співробітника', 'team.invite.submit': 'Надіслати запрошення', 'team.invite.link': 'Запрошення для {email}: передайте це посилання (воно діє один раз, до {until}).',
  'team.invite.copy': 'Скопіювати посилання', 'team.invite.copied': 'Скопійовано.', 'team.pending': 'Неприйняті запрошення', 'team.pending.none': 'Відкритих запрошень немає.',
  'team.pending.expires': 'до {until}', 'team.pending.expired': 'прострочене', 'team.withdraw': 'Відкликати',
  'account.title': 'Мій профіль', 'account.password': 'Зміна пароля', 'account.current': 'Поточний пароль', 'account.new': 'Новий пароль',
  'account.repeat': 'Новий пароль ще раз', 'account.mismatch': 'Нові паролі не збігаються.', 'account.change': 'Змінити пароль',
  'account.changed': 'Пароль змінено; інші ваші сеанси ({count}) завершено.',
  'account.sessions': 'Сеанси', 'account.sessionsHelp': 'Загубили телефон чи входили з чужого комп’ютера? Завершіть усі сеанси, включно з цим.', 'account.logoutAll': 'Вийти на всіх пристроях',
};
