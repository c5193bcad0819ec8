-- neovim.lua — Neovim's own LSP client (0.7 API: start_client, buf_attach_client) against
-- `ddlguard lsp`: open a bad migration, wait for its diagnostics, check where they are, ask for
-- code actions, apply the CONCURRENTLY fix as the editor does, check the buffer, see the
-- finding go. Run by neovim.sh with $DDLGUARD (the binary) and $WORK (a copy of project/).
local failures = 0

local function check(cond, what)
  if not cond then
    failures = failures + 1
    io.stderr:write('FAIL: ' .. what .. '\n')
  end
end

local function run()
  local work = os.getenv('WORK')
  local path = work .. '/db/migrations/20240102000000_email_index.sql'
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()

  local id = vim.lsp.start_client({
    name = 'ddlguard',
    cmd = { os.getenv('DDLGUARD'), 'lsp' },
    root_dir = work,
  })
  check(id ~= nil, 'the client starts')
  vim.lsp.buf_attach_client(buf, id)

  local function diags(code)
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local c = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if c == code then
        table.insert(out, d)
      end
    end
    return out
  end

  -- diagnostics: Neovim turns the server's UTF-16 positions into byte columns of the buffer
  local ok = vim.wait(20000, function()
    return #diags('require-concurrent-index-creation') > 0
  end, 50)
  check(ok, 'diagnostics arrive')
  local d = diags('require-concurrent-index-creation')[1]
  local line = vim.api.nvim_buf_get_lines(buf, 1, 2, true)[1]
  local col = line:find('CREATE', 1, true) - 1 -- 16: '/* ', 4-byte U+1D11E, ' ', 4-byte U+1F600, ' */ '
  check(col == 16, 'the test line: ' .. col)
  if d then
    check(d.lnum == 1 and d.col == col, ('start at 1:%d, got %d:%d'):format(col, d.lnum, d.col))
    local stmt = 'CREATE UNIQUE INDEX users_email_idx ON users (email)'
    check(d.end_lnum == 1 and d.end_col == col + #stmt,
      ('end at 1:%d, got %d:%d'):format(col + #stmt, d.end_lnum, d.end_col))
    check(d.severity == vim.diagnostic.severity.ERROR, 'severity from .ddlguard.yaml: ' .. tostring(d.severity))
    check(d.source == 'ddlguard', 'source: ' .. tostring(d.source))
    check(d.message:find('SHARE lock', 1, true) ~= nil, 'the lock in the message: ' .. d.message)
  end
  check(#diags('require-lock-timeout') == 0, '.ddlguard.yaml turns require-lock-timeout off')

  -- hover on the finding: the rule's doc
  local hres = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 1, character = 20 },
  }, 20000)
  local hover = hres and hres[id] and hres[id].result
  local value = hover and hover.contents and hover.contents.value or ''
  check(value:find('# require-concurrent-index-creation', 1, true) ~= nil, 'hover shows the rule doc: ' .. value:sub(1, 80))

  -- code actions at the statement, as :lua vim.lsp.buf.code_action() asks for them
  local line_diags = vim.lsp.diagnostic.get_line_diagnostics
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = 1, character = 14 }, ['end'] = { line = 1, character = 14 } },
    context = { diagnostics = line_diags and line_diags(buf, 1) or {} },
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 20000)
  local actions = (res and res[id] and res[id].result) or {}
  local fix
  local titles = {}
  for _, a in ipairs(actions) do
    table.insert(titles, a.title)
    if a.isPreferred and a.title:find('CONCURRENTLY', 1, true) then
      fix = a
    end
  end
  check(fix ~= nil, 'a CONCURRENTLY quick fix among: ' .. table.concat(titles, ' | '))
  check(#titles >= 3, 'the ignore actions too')
  if fix then
    vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
    local got = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, true), '\n')
    local want = table.concat({
      '-- migrate:up transaction:false',
      '/* \u{1D11E} \u{1F600} */ CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);',
      '',
      '-- migrate:down',
      'DROP INDEX IF EXISTS users_email_idx;',
    }, '\n')
    check(got == want, 'the buffer after the fix:\n' .. got)
    -- the edit reaches the server as an incremental didChange; the finding goes
    ok = vim.wait(20000, function()
      return #diags('require-concurrent-index-creation') == 0
    end, 50)
    check(ok, 'the finding is gone after the fix')
  end

  vim.lsp.stop_client(id)
  vim.wait(5000, function()
    return vim.lsp.get_client_by_id(id) == nil
  end, 50)
end

local ok, err = pcall(run)
if not ok then
  io.stderr:write('ERROR: ' .. tostring(err) .. '\n')
  failures = failures + 1
end
if failures > 0 then
  io.stderr:write(failures .. ' check(s) failed\n')
  vim.cmd('cquit 1')
end
io.stdout:write('lsp neovim: all checks passed\n')
vim.cmd('qall!')
