# bash completion for qmpsh                                  -*- shell-script -*-
# Copyright 2026 The qmpsh authors
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Completes qmpsh's own options, file paths for ADDRESS, and the QEMU command
# after `--launch --`. The words of a -c CMD are left alone for now: qmpsh is
# to complete QMP commands itself (from the server's schema), and this script
# will then only ask the binary, as GLib's gdbus completion does.

_qmpsh()
{
	local cur prev words cword split=false
	if declare -F _init_completion >/dev/null; then
		_init_completion -s || return
	else
		cur="${COMP_WORDS[COMP_CWORD]}"
		prev="${COMP_WORDS[COMP_CWORD - 1]}"
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		# bash splits --opt=value at the `=`
		if [[ $cur == = ]]; then
			cur=
			split=true
		elif [[ $prev == = ]] && ((cword > 1)); then
			prev="${COMP_WORDS[cword - 2]}"
			split=true
		fi
	fi

	# after `--`: the QEMU command line that --launch runs
	local i
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then
			if ((i + 1 == cword)); then
				mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
			elif declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			else
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			fi
			return
		fi
	done

	case $prev in
	-c | --command | -t | --timeout | --greeting-timeout | --max-message-size | --pass-fd | \
		--tls-hostname | --tls-psk-user | --tls-priority)
		# a command, seconds, bytes, a number or a name: nothing to offer
		return
		;;
	--color)
		mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
		return
		;;
	--tls-creds)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	-l | --log | --listen | --tls-ca | --tls-cert | --tls-key | --tls-psk | --config)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		local opts="-c --command= --launch --listen= --ga -p --pretty --compact
			--sort-keys --color= --events -v --verbose -H --hmp -l --log=
			-N --skip-negotiation --greeting-timeout= -t --timeout=
			--max-message-size= --pass-fd= -y --yes --no-reconnect
			--tls-creds= --tls-ca= --tls-cert= --tls-key= --tls-hostname=
			--tls-psk= --tls-psk-user= --tls-priority=
			--config= --no-config -V --version -h --help --"
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		# no space after an option that takes its value after `=`
		if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
			compopt -o nospace
		fi
		return
	fi

	# ADDRESS: a UNIX socket path (HOST:PORT is typed by hand)
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
} &&
	complete -F _qmpsh qmpsh

# ex: filetype=sh
