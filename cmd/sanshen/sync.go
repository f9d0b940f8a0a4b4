package main

import (
	"context"
	"errors"
	"fmt"

	"sanshen/client"
)

func init() {
	register(&command{
		Name:  "sync",
		Usage: "sync",
		Help:  "同步：发送待发的审核意见，拉取待审队列 / send the outbox, pull the queue",
		Run:   runSync,
	})
}

func runSync(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "sync", "sync")
	if code, ok := parseFlagsOnly(fs, args); !ok {
		return code
	}
	s, code := openSession(ctx, e, "sync")
	if s == nil {
		return code
	}
	defer s.Close()
	rep, err := s.Sync(ctx)
	sent := rep.Send
	summary := fmt.Sprintf(tr(
		"队列 %d 件（更新 %d，移出 %d），获取稿件 %d、正文 %d；发送审核意见：接受 %d，冲突 %d，拒绝 %d；待发送 %d",
		"queue %d (%d changed, %d removed), fetched %d items and %d bodies; decisions: %d accepted, %d conflict, %d rejected; %d pending"),
		rep.Queue, rep.Changed, rep.Removed, rep.Fetched, rep.Bodies, sent.Sent, sent.Conflicts, sent.Rejected, rep.Pending)
	if err != nil {
		what := tr("同步失败 sync failed", "sync failed")
		switch {
		case errors.Is(err, client.ErrUnreachable):
			what = tr("离线 offline：无法连接服务器，本地缓存仍可使用", "offline: the server cannot be reached; the local cache still works")
		case errors.Is(err, client.ErrUnauthorized):
			what = tr("需要重新登录 sign in again：sanshen login", "sign in again: sanshen login")
		}
		fmt.Fprintf(e.Stderr, "sanshen sync: %s: %v\n", what, err)
		fmt.Fprintf(e.Stdout, "%s %s\n", tr("未完成 incomplete：", "incomplete:"), summary)
		return 2
	}
	fmt.Fprintf(e.Stdout, "%s %s\n", tr("同步完成 synced：", "synced:"), summary)
	if rep.FetchErrs > 0 {
		fmt.Fprintf(e.Stderr, tr("有 %d 项未能获取，下次同步重试\n", "%d items or bodies could not be fetched; the next sync tries again\n"), rep.FetchErrs)
	}
	if sent.Conflicts+sent.Rejected > 0 {
		fmt.Fprintln(e.Stderr, tr("有审核意见被服务器拒绝，详见 sanshen outbox", "some decisions were refused by the server: see sanshen outbox"))
		return 1
	}
	return 0
}
