// Runs at the top of <body>, before the page is drawn, so GOV.UK Frontend's
// JavaScript-only styles apply without a flash (the inline script GOV.UK suggests,
// moved to a file so the Content Security Policy needs no 'unsafe-inline').
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
