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
	-c | --command | -t | --timeout | --greeting-timeout | --max-message-size)
		# a command, seconds or bytes: nothing to offer
		return
		;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		local opts="-c --command= --launch -p --pretty --compact --sort-keys --events
			-N --skip-negotiation --greeting-timeout= -t --timeout=
			--max-message-size= -V --version -h --help --"
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
