import { expect } from 'chai';
import { MAILBOX_DEFAULTS, loadConfig } from '../../config.js';
import { captchaReason, phoneKey } from '../../api/public/mailbox-guard.js';

describe('mailbox guard: when traffic is unusual, and the key of a phone number', () => {
  const limits = { ...MAILBOX_DEFAULTS, captchaAfter: { global: 100, perPhone: 2, perIp: { max: 3, windowSeconds: 3_600 } } };

  it('when every count is under its threshold, then no captcha is asked', () => {
    expect(captchaReason({ global: 99, phone: 1, ip: 2 }, limits)).to.equal(null);
  });

  it('when the mailbox, the phone or the address reaches its threshold, then a captcha is asked and the reason named', () => {
    expect(captchaReason({ global: 100, phone: 0, ip: 0 }, limits)).to.equal('global');
    expect(captchaReason({ global: 0, phone: 2, ip: 0 }, limits)).to.equal('phone');
    expect(captchaReason({ global: 0, phone: 0, ip: 3 }, limits)).to.equal('ip');
  });

  it('when a threshold is 0, then every letter needs a captcha', () => {
    expect(captchaReason({ global: 0, phone: 0, ip: 0 }, { ...limits, captchaAfter: { ...limits.captchaAfter, global: 0 } })).to.equal('global');
  });

  it('when one number is written in different ways, then it has one key, and another number another', () => {
    const key = phoneKey('13912345678');
    expect(phoneKey('+86 139-1234-5678')).to.equal(key);
    expect(phoneKey('139 1234 5678')).to.equal(key);
    expect(phoneKey('13912345679')).to.not.equal(key);
    expect(key).to.not.include('1391234');
  });

  it('when MAILBOX_* settings are given, then they are read; a cap of 0 is refused at start-up', () => {
    const config = loadConfig({ MAILBOX_PHONE_MAX: '3', MAILBOX_CAPTCHA_IP: '0', MAILBOX_GLOBAL_WINDOW_SECONDS: '60' });
    expect(config.mailbox.perPhone).to.deep.equal({ max: 3, windowSeconds: 86_400 });
    expect(config.mailbox.global).to.deep.equal({ max: 2_000, windowSeconds: 60 });
    expect(config.mailbox.captchaAfter.perIp.max).to.equal(0);
    expect(loadConfig({}).mailbox).to.deep.equal(MAILBOX_DEFAULTS);
    expect(() => loadConfig({ MAILBOX_PHONE_MAX: '0', MAILBOX_GLOBAL_MAX: 'many' })).to.throw(/MAILBOX_PHONE_MAX[\s\S]*MAILBOX_GLOBAL_MAX/);
  });
});
