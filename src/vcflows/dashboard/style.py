"""The page's CSS, inlined into the HTML (no asset folder is served)."""

from __future__ import annotations

CSS = """
body { margin: 0; font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; color: #222;
       background: #f6f7f9; }
.app { max-width: 1400px; margin: 0 auto; padding: 0 16px 40px; }
.header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; padding: 14px 0 6px; }
.header h1 { font-size: 22px; margin: 0; color: #1f4e79; }
.badge { background: #fff4d6; color: #7a5200; border: 1px solid #e3a21a; border-radius: 4px;
         padding: 2px 8px; font-size: 12px; }
.muted { color: #666; font-size: 13px; }
.nav { display: flex; gap: 4px; flex-wrap: wrap; border-bottom: 2px solid #1f4e79; margin-bottom: 10px; }
.nav-link { padding: 8px 14px; text-decoration: none; color: #1f4e79; border-radius: 4px 4px 0 0; }
.nav-link:hover { background: #e4ecf5; }
.controls { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-end; background: #fff;
            padding: 10px 12px; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.ctl { display: flex; flex-direction: column; gap: 3px; flex: 0 1 auto; }
.ctl-label { font-size: 12px; color: #555; font-weight: 600; }
.downloads { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 10px 0; }
.btn { background: #1f4e79; color: #fff; border: 0; border-radius: 4px; padding: 6px 12px;
       cursor: pointer; font-size: 13px; }
.btn:hover { background: #173b5c; }
.page { min-height: 400px; }
.caption { color: #555; margin: 6px 0 10px; font-size: 14px; }
.kf-row { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px;
          margin: 8px 0 14px; }
.kf { background: #fff; border-radius: 6px; padding: 10px 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.kf-label { font-size: 12px; color: #555; }
.kf-value { font-size: 22px; font-weight: 600; color: #1f4e79; margin-top: 4px; }
.block { background: #fff; border-radius: 6px; padding: 10px 14px; margin: 12px 0;
         box-shadow: 0 1px 2px rgba(0,0,0,.08); min-width: 0; }
.block h3 { margin: 4px 0 8px; font-size: 16px; }
.help, .note { color: #666; font-size: 13px; }
.two-col { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 12px; }
.two-col > .block { margin: 0; }
.graph { width: 100%; }
.msg { border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
.msg ul { margin: 6px 0 0; padding-left: 20px; }
.msg-error { background: #fdecea; border: 1px solid #c0504d; color: #7a1f1c; }
.msg-warning { background: #fff8e1; border: 1px solid #e3a21a; color: #6b4a00; }
.search { width: 360px; max-width: 100%; padding: 6px 8px; font-size: 14px; }
.results { columns: 2; font-size: 14px; }
.results li { margin: 2px 0; }
.notes { color: #555; font-size: 13px; }
.evidence code { font-size: 12px; white-space: pre-wrap; }
"""
