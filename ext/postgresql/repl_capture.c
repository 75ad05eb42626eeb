/*
 * repl_capture: repl's change-capture trigger function in C (optional; see README.md here).
 *
 * It does what the PL/pgSQL trigger functions repl generates do (sql/triggers/postgresql/capture.sql): append the
 * key of the changed row and the id of the writing transaction to the table's log, and wake the replay services with a
 * NOTIFY, one notifying transaction at a time. It exists for speed. Under pgbench's TPC-B load the PL/pgSQL functions
 * cost the master about a fifth of its throughput, most of it the PL/pgSQL call and the executor set-up of a one-row
 * INSERT through SPI; this function forms the log row itself and inserts it into the heap directly (bench/README.md).
 *
 * Trigger arguments: the log table (schema-qualified and quoted as in SQL), 'new' or 'old' (which row's key to log),
 * and the NOTIFY channel ('' for none). The log's columns are txid (xid8), logged_at (timestamptz) and columns named
 * as the source table's key columns; anything else is refused, and so is a log with an index, since a direct heap
 * insert would leave the index without the new row.
 *
 * Privileges: like the SECURITY DEFINER functions it replaces, it writes the log whatever the privileges of the user
 * whose statement fired it. Creating a trigger needs EXECUTE on the function, which the extension script revokes from
 * PUBLIC, so only roles a superuser grants it to can point it at a table.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(repl_capture);

/*
 * The advisory lock of the NOTIFY gate, as the PL/pgSQL triggers take it: pg_try_advisory_xact_lock(1919251564, 0)
 * (PostgreSqlCapture.NotifyGateKey). A transaction that NOTIFYs holds a database-wide lock across its commit; the gate
 * lets one transaction at a time do so, the others skip their NOTIFY.
 */
#define NOTIFY_GATE_KEY1 1919251564
#define NOTIFY_GATE_KEY2 0

/* How one column of the log is filled. */
typedef enum LogColumnSource
{
	LOG_NULL,					/* a dropped column */
	LOG_TXID,
	LOG_LOGGED_AT,
	LOG_KEY,					/* the source column as it is */
	LOG_KEY_CONVERTED			/* the source column through its output and the log column's input function */
} LogColumnSource;

typedef struct LogColumn
{
	LogColumnSource source;
	AttrNumber	attnum;			/* of the source column */
	FmgrInfo	output;			/* LOG_KEY_CONVERTED only */
	FmgrInfo	input;
	Oid			input_param;
	int32		typmod;
} LogColumn;

/* What a trigger needs on every row, worked out on its first row of each statement. */
typedef struct CaptureTarget
{
	Oid			trigger;
	Oid			log;
	bool		log_old;
	char	   *channel;		/* NULL: no NOTIFY */
	int			natts;
	LogColumn  *columns;
} CaptureTarget;

/*
 * Where this backend last tried the NOTIFY gate: a (sub)transaction tries it once. A subtransaction that rolls back
 * drops its NOTIFY and the lock, so the next one tries again.
 */
static FullTransactionId gate_tried_by = {0};
static SubTransactionId gate_tried_in = InvalidSubTransactionId;

static CaptureTarget *describe(TriggerData *trigger, MemoryContext context);
static Oid	log_table(Trigger *t, const char *table);

/*
 * The log named by the trigger's first argument, "schema"."table". Looked up without the privilege checks of a
 * RangeVar lookup, since the writer whose statement fired the trigger needs no privilege on the log's schema; and
 * only schema-qualified, so no session's search_path decides which table is written.
 */
static Oid
log_table(Trigger *t, const char *table)
{
	List	   *names = stringToQualifiedNameList(t->tgargs[0]);
	Oid			namespace;
	Oid			relation;

	if (list_length(names) != 2)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("repl_capture: trigger \"%s\" on table \"%s\": the log \"%s\" must be named as schema.table",
							   t->tgname, table, t->tgargs[0])));
	namespace = get_namespace_oid(strVal(linitial(names)), false);
	relation = get_relname_relid(strVal(lsecond(names)), namespace);
	if (!OidIsValid(relation))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
						errmsg("repl_capture: log \"%s\" of table \"%s\" does not exist", t->tgargs[0], table),
						errhint("Run repl init again, or drop the trigger \"%s\" if repl no longer captures this table.", t->tgname)));
	return relation;
}

static CaptureTarget *
describe(TriggerData *trigger, MemoryContext context)
{
	Trigger    *t = trigger->tg_trigger;
	TupleDesc	source = RelationGetDescr(trigger->tg_relation);
	const char *table = RelationGetRelationName(trigger->tg_relation);
	bool		has_txid = false;
	CaptureTarget *target;
	Relation	log;
	TupleDesc	desc;
	MemoryContext old;

	if (t->tgnargs != 3)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("repl_capture: trigger \"%s\" on table \"%s\" needs 3 arguments (log table, 'new' or 'old', NOTIFY channel), not %d",
							   t->tgname, table, t->tgnargs)));
	old = MemoryContextSwitchTo(context);
	target = palloc0(sizeof(CaptureTarget));
	target->trigger = t->tgoid;
	target->log = log_table(t, table);
	if (strcmp(t->tgargs[1], "new") == 0)
		target->log_old = false;
	else if (strcmp(t->tgargs[1], "old") == 0)
		target->log_old = true;
	else
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("repl_capture: trigger \"%s\" on table \"%s\": the second argument must be 'new' or 'old', not \"%s\"",
							   t->tgname, table, t->tgargs[1])));
	target->channel = t->tgargs[2][0] == '\0' ? NULL : pstrdup(t->tgargs[2]);

	log = table_open(target->log, AccessShareLock);
	desc = RelationGetDescr(log);
	if (log->rd_rel->relkind != RELKIND_RELATION)
		ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
						errmsg("repl_capture: log \"%s\" of table \"%s\" is not a table", t->tgargs[0], table)));
	/* The relation cache's list, not pg_class.relhasindex, which stays true after DROP INDEX until the next VACUUM. */
	if (RelationGetIndexList(log) != NIL)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("repl_capture: log \"%s\" of table \"%s\" has an index, which this trigger would leave without the new rows",
							   t->tgargs[0], table),
						errhint("Drop the index; repl's logs have none.")));
	target->natts = desc->natts;
	target->columns = palloc0(sizeof(LogColumn) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);
		const char *name = NameStr(a->attname);
		LogColumn  *column = &target->columns[i];
		AttrNumber	attnum;

		if (a->attisdropped)
			column->source = LOG_NULL;
		else if (strcmp(name, "txid") == 0 && a->atttypid == XID8OID)
		{
			column->source = LOG_TXID;
			has_txid = true;
		}
		else if (strcmp(name, "logged_at") == 0 && a->atttypid == TIMESTAMPTZOID)
			column->source = LOG_LOGGED_AT;
		else if ((attnum = SPI_fnumber(source, name)) > 0)
		{
			Oid			from = getBaseType(TupleDescAttr(source, attnum - 1)->atttypid);

			column->attnum = attnum;
			if (from == getBaseType(a->atttypid))
				column->source = LOG_KEY;
			else
			{
				/* As an assignment in PL/pgSQL would: through text (a key whose type repl logs as another, json for jsonb). */
				Oid			output;
				Oid			input;
				bool		varlena;

				column->source = LOG_KEY_CONVERTED;
				getTypeOutputInfo(from, &output, &varlena);
				fmgr_info_cxt(output, &column->output, context);
				getTypeInputInfo(a->atttypid, &input, &column->input_param);
				fmgr_info_cxt(input, &column->input, context);
				column->typmod = a->atttypmod;
			}
		}
		else
			ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
							errmsg("repl_capture: column \"%s\" of log \"%s\" is not a column of table \"%s\"",
								   name, t->tgargs[0], table),
							errhint("A repl log holds txid, logged_at and the table's key columns; run repl init again after changing the key.")));
	}
	if (!has_txid)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
						errmsg("repl_capture: log \"%s\" of table \"%s\" has no column txid of type xid8", t->tgargs[0], table)));
	/* The lock stays until the transaction ends, so the log cannot change shape under this description. */
	table_close(log, NoLock);
	MemoryContextSwitchTo(old);
	return target;
}

Datum
repl_capture(PG_FUNCTION_ARGS)
{
	TriggerData *trigger = (TriggerData *) fcinfo->context;
	TupleDesc	source;
	CaptureTarget *target;
	HeapTuple	row;
	Relation	log;
	Datum	   *values;
	bool	   *nulls;
	HeapTuple	entry;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("repl_capture: not called as a trigger")));
	if (!TRIGGER_FIRED_FOR_ROW(trigger->tg_event) || !TRIGGER_FIRED_AFTER(trigger->tg_event))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("repl_capture: trigger \"%s\" must be an AFTER ... FOR EACH ROW trigger", trigger->tg_trigger->tgname)));

	/* fn_extra lives as long as the statement's trigger state; a trigger is described once per statement. */
	target = (CaptureTarget *) fcinfo->flinfo->fn_extra;
	if (target == NULL || target->trigger != trigger->tg_trigger->tgoid)
	{
		target = describe(trigger, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = target;
	}

	/* OLD for DELETE and for the old key of a key-changing UPDATE; the row as written otherwise. */
	if (TRIGGER_FIRED_BY_UPDATE(trigger->tg_event) && !target->log_old)
		row = trigger->tg_newtuple;
	else
		row = trigger->tg_trigtuple;

	source = RelationGetDescr(trigger->tg_relation);
	values = palloc(sizeof(Datum) * target->natts);
	nulls = palloc(sizeof(bool) * target->natts);
	for (int i = 0; i < target->natts; i++)
	{
		LogColumn  *column = &target->columns[i];

		nulls[i] = false;
		switch (column->source)
		{
			case LOG_NULL:
				values[i] = (Datum) 0;
				nulls[i] = true;
				break;
			case LOG_TXID:
				values[i] = FullTransactionIdGetDatum(GetTopFullTransactionId());
				break;
			case LOG_LOGGED_AT:
				/* clock_timestamp(), as the log column's default */
				values[i] = TimestampTzGetDatum(GetCurrentTimestamp());
				break;
			case LOG_KEY:
				values[i] = heap_getattr(row, column->attnum, source, &nulls[i]);
				break;
			case LOG_KEY_CONVERTED:
				values[i] = heap_getattr(row, column->attnum, source, &nulls[i]);
				if (!nulls[i])
					values[i] = InputFunctionCall(&column->input, OutputFunctionCall(&column->output, values[i]),
												  column->input_param, column->typmod);
				break;
		}
	}

	log = table_open(target->log, RowExclusiveLock);
	entry = heap_form_tuple(RelationGetDescr(log), values, nulls);
	simple_heap_insert(log, entry);
	table_close(log, NoLock);
	heap_freetuple(entry);
	pfree(values);
	pfree(nulls);

	/*
	 * The gate is tried once per (sub)transaction: one that found it taken would as a rule find it taken again on its
	 * next row, and every try of a lock another backend holds goes to the shared lock table.
	 */
	if (target->channel != NULL &&
		!(FullTransactionIdEquals(gate_tried_by, GetTopFullTransactionId()) && gate_tried_in == GetCurrentSubTransactionId()))
	{
		LOCKTAG		tag;

		gate_tried_by = GetTopFullTransactionId();
		gate_tried_in = GetCurrentSubTransactionId();
		SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, NOTIFY_GATE_KEY1, NOTIFY_GATE_KEY2, 2);
		if (LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL)
			Async_Notify(target->channel, "");
	}
	return PointerGetDatum(NULL);
}
