# ddlguard.bash - bash completion for ddlguard. Installed as
# share/bash-completion/completions/ddlguard; or source it from ~/.bashrc.
# Rule names come from `ddlguard --list-rules`, so they follow the installed version.

_ddlguard()
{
	local cur prev opts
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	opts="--format --quiet -q --summary --color --colour --fail-on --enable --disable --stdin-filename
	      --select --locks --column-unit --pg-version --assume-in-transaction --migration-format --require-reason --config
	      --no-config --baseline --write-baseline --diff-base --max-file-size --jobs --fix --diff --terraform-plan --table-stats --stats-url
	      --list-rules --explain --version --help -h"
	# ddlguard lsp: a language server, for editors
	if [[ ${COMP_WORDS[1]} == lsp ]]; then
		COMPREPLY=($(compgen -W "--stdio --help --version" -- "$cur"))
		return 0
	fi
	# ddlguard verify: its own options
	if [[ ${COMP_WORDS[1]} == verify ]]; then
		opts="--pg-bin --database-url --format --quiet -q --summary --color --fail-on
		      --migration-format --config --no-config --help"
	elif [[ $COMP_CWORD -eq 1 && $cur != -* ]]; then
		COMPREPLY=($(compgen -W "verify lsp" -- "$cur") $(compgen -f -X '!*.[sS][qQ][lL]' -- "$cur")
			$(compgen -d -- "$cur"))
		return 0
	fi

	case $prev in
	--format)
		COMPREPLY=($(compgen -W "text json gcc sarif github gitlab junit markdown rollback-plan" -- "$cur"))
		return 0
		;;
	--color | --colour)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return 0
		;;
	--column-unit)
		COMPREPLY=($(compgen -W "display char byte" -- "$cur"))
		return 0
		;;
	--fail-on)
		COMPREPLY=($(compgen -W "error warning info never" -- "$cur"))
		return 0
		;;
	--migration-format)
		COMPREPLY=($(compgen -W "auto plain dbmate goose golang-migrate sql-migrate diesel flyway
			sqitch liquibase prisma pop postgres-migrations atlas" -- "$cur"))
		return 0
		;;
	--max-file-size)
		COMPREPLY=($(compgen -W "1M 8M 32M 128M" -- "$cur"))
		return 0
		;;
	--jobs | -j)
		COMPREPLY=($(compgen -W "1 2 4 8 $(nproc 2>/dev/null)" -- "$cur"))
		return 0
		;;
	--pg-version)
		COMPREPLY=($(compgen -W "11 12 13 14 15 16 17 18" -- "$cur"))
		return 0
		;;
	--enable | --disable | --select | --explain)
		local rules
		rules=$("${COMP_WORDS[0]}" --list-rules 2>/dev/null | awk '{print $1}')
		COMPREPLY=($(compgen -W "$rules" -- "$cur"))
		return 0
		;;
	--config | --baseline | --write-baseline | --terraform-plan | --table-stats)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--diff-base)
		COMPREPLY=($(compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null)" -- "$cur"))
		return 0
		;;
	--pg-bin)
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	--stdin-filename)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	# migration files, templates and directories
	COMPREPLY=($(compgen -f -X '!*.[sS][qQ][lL]' -- "$cur") $(compgen -f -X '!*.@(yaml|yml|json|template)' -- "$cur")
		$(compgen -d -- "$cur"))
	return 0
}
complete -o filenames -F _ddlguard ddlguard
