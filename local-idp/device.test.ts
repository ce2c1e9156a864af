// The session `device` block in words, from real browsers' User-Agent strings.
import { describe, expect, it } from 'vitest';

import { describeDevice } from './device.mjs';

const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70',
  firefoxLinux: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  chromeAndroidPhone:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36',
  chromeAndroidTablet:
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Safari/537.36',
  safariIpad:
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  chromeIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
};

describe('describeDevice', () => {
  it.each([
    ['chromeWindows', 'Chrome', '131.0.0.0', 'Windows', '10', 'desktop'],
    ['edgeWindows', 'Edge', '131.0.2903.70', 'Windows', '10', 'desktop'],
    ['firefoxLinux', 'Firefox', '133.0', 'Linux', '', 'desktop'],
    ['safariMac', 'Safari', '17.6', 'macOS', '14.6.1', 'desktop'],
    ['chromeAndroidPhone', 'Chrome', '131.0.6778.104', 'Android', '14', 'mobile'],
    ['chromeAndroidTablet', 'Chrome', '131.0.6778.104', 'Android', '13', 'tablet'],
    ['safariIpad', 'Safari', '17.5', 'iOS', '17.5', 'tablet'],
    ['chromeIphone', 'Chrome', '131.0.6778.73', 'iOS', '18.1', 'mobile'],
  ] as const)('%s', (key, browser, browserVersion, os, osVersion, deviceType) => {
    expect(describeDevice(UA[key], '203.0.113.9')).toEqual({
      user_agent: UA[key],
      browser,
      browser_version: browserVersion,
      os,
      os_version: osVersion,
      device_type: deviceType,
      ip: '203.0.113.9',
    });
  });

  it('says nothing it cannot tell, and bounds what it stores', () => {
    const d = describeDevice(`curl/8.5.0${'x'.repeat(5000)}`, '::ffff:127.0.0.1');
    expect(d).toMatchObject({ browser: '', os: '', device_type: 'other', ip: '127.0.0.1' });
    expect(d.user_agent).toHaveLength(512);
    expect(describeDevice(undefined, '::1')).toMatchObject({
      user_agent: '',
      device_type: 'other',
    });
  });

  it('carries a configured location', () => {
    expect(describeDevice(UA.safariMac, '::1', { city: 'Berlin', region: 'DE' }).location).toEqual({
      city: 'Berlin',
      region: 'DE',
    });
  });
});
