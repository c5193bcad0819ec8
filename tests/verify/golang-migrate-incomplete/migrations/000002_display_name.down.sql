-- forgets the column
DROP INDEX users_display_name_idx;
